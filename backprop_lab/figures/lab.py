"""The lab's own pair of figures, the two every lab report shows, each a figure of its own and of
one trainer's network (the two trainers hold the same one):

- ``classes_figure``: the ground truth beside the predicted class of every point, the points
  coloured by their label on the left and by the network's class (ŷ > 0.5) on the right, with
  the points it gets wrong ringed;
- ``learning_curve_figure``: the loss per epoch on a log scale, with the accuracy on an axis of
  its own on the right.

Both are sized for a report's column: at 6.5 inches wide their text prints at 8-9 points.
"""

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import LogFormatter, PercentFormatter

from backprop_lab.conventions import DECISION_THRESHOLD
from backprop_lab.figures.boundary import CLASS_COLOURS, draw_truth
from backprop_lab.figures.logscale import drawable, log_scale
from backprop_lab.figures.new import new_figure

#: The ring around a wrongly predicted point: black, so that it shows in print too.
WRONG = dict(facecolors="none", edgecolors="black", linewidths=1.6, zorder=4)
LOSS_COLOUR, ACCURACY_COLOUR = "tab:purple", "tab:orange"


def _classes(y):
    return (np.asarray(y).ravel() > DECISION_THRESHOLD).astype(float).reshape(-1, 1)


def _right(y_hat, Y):
    """(right, of how many) for predictions ``y_hat`` of labels ``Y``."""
    return int(np.sum(_classes(y_hat) == _classes(Y))), len(np.asarray(Y).ravel())


def _score(right, total):
    return f"{right} of {total} right"


def _ring_wrong(ax, X, Y, y_hat, size):
    wrong = (_classes(y_hat) != _classes(Y)).ravel()
    if wrong.any():
        ax.scatter(X[wrong, 0], X[wrong, 1], s=size, **WRONG)
    return int(wrong.sum())


def classes_figure(plane, X, Y, y_hat, *, title, trainer="matrix_net", agreement="", X_test=None,
                   Y_test=None, y_hat_test=None):
    """The Figure: the ground truth (left) beside the predicted class (right) of every point.

    plane:  the backprop_lab.figures.boundary.Plane whose range both panels show.
    X, Y:   (n, 2) training points and their (n, 1) labels; y_hat: (n, 1) the network's outputs.
    X_test, Y_test, y_hat_test: the held-out points (triangles), if any, the same way.
    trainer, agreement: whose network made y_hat, and what the other trainer's does ("scalar_net
            agrees"), for the right panel's title.
    """
    testing = X_test is not None and len(X_test) > 0
    fig = new_figure(figsize=(8.0, 4.8), layout="constrained")
    fig.get_layout_engine().set(h_pad=0.1)  # room between the title, the panels' titles and the legend
    truth, predicted = fig.subplots(1, 2, sharex=True, sharey=True)
    test = dict(X_test=X_test, Y_test=Y_test) if testing else {}
    points = f"{len(X)} training points" + (f", {len(X_test)} held out" if testing else "")
    draw_truth(truth, X, Y, plane=plane, title=f"Ground truth\n{points}", **test)
    score = _score(*_right(y_hat, Y))
    if testing:
        score = f"training {score}, held out {_score(*_right(y_hat_test, Y_test))}"
    by = f"Predicted by {trainer}" + (f" ({agreement})" if agreement else "")
    draw_truth(predicted, X, _classes(y_hat), plane=plane, title=f"{by}\n{score}",
               **(dict(X_test=X_test, Y_test=_classes(y_hat_test)) if testing else {}))
    predicted.set_ylabel("")
    for ax in (truth, predicted):
        ax.title.set_fontsize("medium")
    size = float(np.clip(2400 / max(len(X), 1), 7, 40))  # the points' own size (scatter_points)
    wrong = _ring_wrong(predicted, X, Y, y_hat, size * 4)
    if testing:
        wrong += _ring_wrong(predicted, X_test, Y_test, y_hat_test, size * 6)
    fig.legend(handles=_legend(testing, wrong), loc="outside lower center", ncols=4,
               frameon=False)
    fig.suptitle(title)
    return fig


def _legend(testing, wrong):
    def marker(shape, colour, label, edge="black", size=7):
        return Line2D([], [], ls="", marker=shape, markersize=size, markerfacecolor=colour,
                      markeredgecolor=edge, label=label)

    handles = [marker("o", CLASS_COLOURS[0], "class 0"), marker("o", CLASS_COLOURS[1], "class 1")]
    if testing:
        handles.append(marker("^", "lightgrey", "held-out point"))
    if wrong:
        handles.append(Line2D([], [], ls="", marker="o", markersize=11, markerfacecolor="none",
                              markeredgecolor="black", markeredgewidth=1.6,
                              label="predicted class ≠ label"))
    return handles


def learning_curve_figure(curves, *, title):
    """The Figure: one trainer's loss per epoch (log scale, left axis) and accuracy (right axis),
    training as lines and held-out points dotted.  ``curves``: a backprop_lab.figures.curves.Curves."""
    fig = new_figure(figsize=(7.0, 4.4), layout="constrained")
    fig.get_layout_engine().set(h_pad=0.1)
    loss = fig.subplots()
    accuracy = loss.twinx()
    epochs = np.arange(1, len(curves.loss) + 1)
    testing = len(curves.test_epochs) > 0
    lines = loss.plot(epochs, drawable(curves.loss), color=LOSS_COLOUR, lw=1.8, label="loss, training points")
    if testing:
        lines += loss.plot(curves.test_epochs, drawable(np.asarray(curves.test_loss, dtype=np.float64)), color=LOSS_COLOUR, lw=1.4, ls=":",
                           label="loss, held-out points")
    lines += accuracy.plot(epochs, np.asarray(curves.accuracy) * 100, color=ACCURACY_COLOUR, lw=1.2,
                           label="accuracy, training points")
    if testing:
        lines += accuracy.plot(curves.test_epochs, np.asarray(curves.test_accuracy) * 100, color=ACCURACY_COLOUR,
                               lw=1.2, ls=":", label="accuracy, held-out points")
    log_scale(loss)
    # plain-text labels, as in curves.py: 1e-02 at the powers of ten, and some between within two decades
    loss.yaxis.set_major_formatter(LogFormatter(labelOnlyBase=True))
    loss.yaxis.set_minor_formatter(LogFormatter(labelOnlyBase=False, minor_thresholds=(2, 0.4)))
    loss.set_xlim(0, max(len(epochs), 1))  # no epoch: a run drawn at its start (it diverged in its first)
    loss.set_xlabel("epoch")
    loss.set_ylabel("loss (log scale)", color=LOSS_COLOUR)
    loss.tick_params(axis="y", colors=LOSS_COLOUR, which="both")
    loss.grid(True, which="major", alpha=0.3)
    accuracy.set_ylim(0, 105)
    accuracy.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    accuracy.set_ylabel("accuracy", color=ACCURACY_COLOUR)
    accuracy.tick_params(axis="y", colors=ACCURACY_COLOUR)
    fig.legend(handles=lines, loc="outside lower center", ncols=2, frameon=False)
    fig.suptitle(title)
    return fig
