"""How large each layer's weight gradient is, epoch by epoch, on a log scale: the picture of the
depth question (every sigmoid layer multiplies the back-propagated error by at most 1/4, so the
layers nearest the inputs get the smallest gradients).

The numbers are a trainer's ``TrainResult.gradient_norms`` (backprop_lab.conventions, "Gradient
norm per layer"): for layer l, the root-mean-square over the epoch's steps of ||dL/dW_l||.

- ``draw_gradient_norms``: one line per layer on any Axes;
- ``gradient_norm_figure``: one run's lines, a figure sized for a report's column;
- ``gradient_norm_panels``: one panel per setting side by side, the y axes shared.
"""

import numpy as np
from matplotlib.ticker import LogFormatter

from backprop_lab.figures.logscale import drawable, log_scale
from backprop_lab.figures.new import new_figure

#: The layers' colours, from the first hidden layer (dark) to the output layer (light): a
#: sequential map, so that the order of the lines reads as the order of the layers.
COLOUR_MAP = "viridis"


def layer_label(sizes, l):
    """'W1 (2x4, into hidden layer 1)' ... 'W3 (4x1, into the output)'."""
    L = len(sizes) - 1
    into = "the output" if l == L else f"hidden layer {l}"
    return f"W{l} ({sizes[l - 1]}x{sizes[l]}, into {into})"


def draw_gradient_norms(ax, norms, sizes, *, legend=True, log_epochs=False):
    """One line per layer: ``norms`` (epochs, L), column l-1 for W_l, on a log scale; ``sizes`` the
    layer sizes (2, H1, ..., 1).  Zeros and NaN leave gaps (a log axis cannot show 0).
    ``log_epochs``: the epochs on a log axis too (the first epochs, where the layers differ most,
    get room); ``legend``: "inside", "below" the panel, or False."""
    from matplotlib import colormaps

    norms = np.asarray(norms, dtype=np.float64).reshape(-1, len(sizes) - 1)
    epochs = np.arange(1, norms.shape[0] + 1)
    L = norms.shape[1]
    colours = colormaps[COLOUR_MAP](np.linspace(0.0, 0.8, L))
    for l in range(1, L + 1):
        values = drawable(norms[:, l - 1])
        ax.plot(epochs, np.where(values > 0, values, np.nan), color=colours[l - 1], lw=1.6,
                label=layer_label(sizes, l))
    log_scale(ax)
    ax.yaxis.set_major_formatter(LogFormatter(labelOnlyBase=True))
    ax.yaxis.set_minor_formatter(LogFormatter(labelOnlyBase=False, minor_thresholds=(2, 0.4)))
    if log_epochs:
        log_scale(ax, "x")
        ax.set_xlim(1, max(len(epochs), 2))
    else:
        ax.set_xlim(0, max(len(epochs), 1))
    ax.set_xlabel("epoch")
    ax.grid(True, which="major", alpha=0.3)
    if legend == "below":
        ax.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.16), frameon=False,
                  title="gradient of", title_fontsize="small")
    elif legend:
        ax.legend(fontsize="small", loc="best", title="gradient of", title_fontsize="small")


YLABEL = "gradient norm ||dL/dW_l|| (log scale)"


def epoch_text(steps):
    """What one point of a line is, for the x axis's label: ``steps`` the steps per epoch (None: 1)."""
    if not steps or steps == 1:
        return "epoch (one step each: the norm of its gradient)"
    return f"epoch (each point: the root-mean-square of its {steps} steps' norms)"


def gradient_norm_figure(norms, sizes, *, title, steps=None):
    """The Figure (not saved: see backprop_lab.figures.save): one run's gradient norm per layer
    and epoch, one line per layer; ``steps``: the steps per epoch (None: one, full batch)."""
    fig = new_figure(figsize=(7.0, 4.4), layout="constrained")
    ax = fig.subplots()
    draw_gradient_norms(ax, norms, sizes)
    ax.set_ylabel(YLABEL)
    ax.set_xlabel(epoch_text(steps))
    fig.suptitle(title, fontsize="medium")
    return fig


def gradient_norm_panels(panels, *, title):
    """The Figure: one panel per setting, side by side with a shared y axis and the epochs on a log
    scale; ``panels`` a list of dicts with ``title``, ``norms`` (epochs, L) and ``sizes``."""
    fig = new_figure(figsize=(3.3 * len(panels) + 0.6, 5.0), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(panels), sharey=True))
    for ax, panel in zip(axes, panels):
        draw_gradient_norms(ax, panel["norms"], panel["sizes"], legend="below", log_epochs=True)
        ax.set_title(panel["title"], fontsize="medium")
        ax.set_xlabel("epoch (log scale)")
    axes[0].set_ylabel(YLABEL)
    fig.suptitle(title)
    return fig
