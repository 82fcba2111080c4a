"""Learning curves: loss (log scale) and accuracy per epoch, for each trainer, training and test."""

from dataclasses import dataclass, field

import numpy as np
from matplotlib.ticker import LogFormatter, NullLocator

from backprop_lab.figures.boundary import TITLE_Y
from backprop_lab.figures.logscale import drawable, log_scale

TRAINER_STYLES = {"scalar_net": dict(color="tab:green", ls="-"), "matrix_net": dict(color="tab:purple", ls="--")}


@dataclass
class Curves:
    """One trainer's curves.

    loss, accuracy:   (epochs,) training loss and accuracy, epoch e at index e - 1, measured during
                      the epoch (backprop_lab.conventions).
    test_epochs:      (k,) epochs after which the held-out points were evaluated (0: the start);
    test_loss, test_accuracy: (k,) their loss and accuracy then.  Empty without a test split.
    """

    loss: list
    accuracy: list
    test_epochs: list = field(default_factory=list)
    test_loss: list = field(default_factory=list)
    test_accuracy: list = field(default_factory=list)


def _style(name, index):
    return TRAINER_STYLES.get(name, dict(color=f"C{index}", ls="-"))


def draw_curves(ax_loss, ax_accuracy, curves, *, upto=None):
    """Loss on a log scale in ``ax_loss``, accuracy in ``ax_accuracy``; curves: name -> Curves.

    Training curves are lines; test curves are the same colour, dotted with markers.  ``upto``
    draws only the first ``upto`` epochs (the animation), on axes already sized for all of them.
    """
    for index, (name, c) in enumerate(curves.items()):
        style = _style(name, index)
        epochs = np.arange(1, len(c.loss) + 1)
        stop = len(c.loss) if upto is None else upto
        ax_loss.plot(epochs[:stop], drawable(c.loss[:stop]), label=f"{name} training", lw=1.6, **style)
        if ax_accuracy is not None:
            ax_accuracy.plot(epochs[:stop], np.asarray(c.accuracy[:stop]) * 100, label=f"{name} training",
                             lw=1.6, **style)
        if len(c.test_epochs):
            shown = np.asarray(c.test_epochs) <= (len(c.loss) if upto is None else upto)
            te = np.asarray(c.test_epochs)[shown]
            test_style = dict(color=style["color"], ls=":", marker=".", markersize=3, lw=1.2)
            ax_loss.plot(te, drawable(np.asarray(c.test_loss, dtype=np.float64)[shown]), label=f"{name} test", **test_style)
            if ax_accuracy is not None:
                ax_accuracy.plot(te, np.asarray(c.test_accuracy)[shown] * 100, label=f"{name} test", **test_style)
    log_scale(ax_loss)
    # Plain-text labels (1e-03, 0.25): matplotlib's default typesets each one as math, which took
    # a third of the time the whole figure took to draw.
    ax_loss.yaxis.set_major_formatter(LogFormatter(labelOnlyBase=True))
    # Within two decades the minor ticks carry labels (all of them within one decade) ...
    ax_loss.yaxis.set_minor_formatter(LogFormatter(labelOnlyBase=False, minor_thresholds=(2, 1.0)))
    low, high = ax_loss.get_ylim()
    if high >= 100 * low:  # ... beyond, the powers of ten are enough, and minor ticks only cost time
        ax_loss.yaxis.set_minor_locator(NullLocator())
    ax_loss.set_xlabel("epoch")
    ax_loss.set_ylabel("loss (log scale)")
    ax_loss.set_title("Loss", y=TITLE_Y)
    ax_loss.grid(True, which="major", alpha=0.3)
    ax_loss.legend(fontsize="small")
    if ax_accuracy is not None:
        ax_accuracy.set_xlabel("epoch")
        ax_accuracy.set_ylabel("accuracy (%)")
        ax_accuracy.set_title("Accuracy", y=TITLE_Y)
        ax_accuracy.set_ylim(-2, 102)
        ax_accuracy.grid(True, alpha=0.3)
        ax_accuracy.legend(fontsize="small", loc="lower right")
