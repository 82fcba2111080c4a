"""The digits (8x8 images, 64 inputs, 10 classes), which no plane can show:

- ``confusion_figure``: how often each true digit was predicted as each digit;
- ``weight_images_figure``: the first layer's weights W1 (64, H), one 8x8 image per hidden neuron,
  what each neuron looks for (a diverging colour map centred at 0: red where a dark pixel raises
  the neuron's z, blue where it lowers it);
- ``examples_figure``: held-out images with their predicted and true labels, the mistakes first.
"""

import numpy as np
from matplotlib.colors import TwoSlopeNorm

from backprop_lab.figures.new import new_figure

SIDE = 8  # an image is SIDE x SIDE pixels, row by row: input i is pixel (i // 8, i % 8)
MAX_NEURONS_SHOWN = 64  # wider first layers show their first 64 neurons and say so
MISTAKE_COLOUR = "tab:red"


def _classes(values):
    """Class indices as ints, from (n,) or (n, 1) whole numbers."""
    return np.asarray(values).ravel().astype(int)


def _image_axes(ax):
    """No ticks, a thin grey frame: an image's white border pixels still show where it ends."""
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("0.6")
        spine.set_linewidth(0.6)


def confusion_counts(labels, predicted, classes=10):
    """(classes, classes) counts: entry [t, p] is how many samples of true class t were predicted p."""
    counts = np.zeros((classes, classes), dtype=int)
    np.add.at(counts, (_classes(labels), _classes(predicted)), 1)
    return counts


def confusion_figure(labels, predicted, *, classes=10, title=""):
    """The Figure: the confusion matrix of ``predicted`` against the true ``labels`` ((n,) or (n, 1)
    class indices), every count written in its cell; the diagonal holds the right answers."""
    counts = confusion_counts(labels, predicted, classes)
    fig = new_figure(figsize=(6.4, 5.8), layout="constrained")
    ax = fig.subplots()
    image = ax.imshow(counts, cmap="Blues", vmin=0, vmax=max(int(counts.max()), 1))
    dark = 0.6 * counts.max()  # white text on the dark end of the map
    for t in range(classes):
        for p in range(classes):
            if counts[t, p]:
                ax.text(p, t, str(counts[t, p]), ha="center", va="center", fontsize=9,
                        color="white" if counts[t, p] > dark else "black")
    ax.set_xticks(np.arange(classes))
    ax.set_yticks(np.arange(classes))
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    ax.xaxis.set_label_position("top")
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    bar = fig.colorbar(image, ax=ax, shrink=0.85)
    bar.set_label("number of images")
    right = int(np.trace(counts))
    score = f"{right} of {counts.sum()} right ({right / max(counts.sum(), 1):.1%}): the diagonal"
    fig.suptitle(f"{title}\n{score}" if title else score)
    return fig


def weight_images_figure(W1, *, title=""):
    """The Figure: column j of the first layer's weights ``W1`` (64, H) as an 8x8 image, one per hidden
    neuron, on one colour scale centred at 0 (the largest |w| at the ends), with one colour bar."""
    W1 = np.asarray(W1, dtype=np.float64)
    if W1.ndim != 2 or W1.shape[0] != SIDE * SIDE:
        raise ValueError(f"W1 must have shape (64, H), one row per pixel; it has shape {W1.shape}")
    shown = min(W1.shape[1], MAX_NEURONS_SHOWN)
    columns = int(np.ceil(np.sqrt(shown * 1.5)))
    rows = int(np.ceil(shown / columns))
    largest = float(np.max(np.abs(W1[:, :shown]))) or 1.0
    fig = new_figure(figsize=(1.1 * columns + 1.4, 1.2 * rows + 1.0), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, columns, squeeze=False)).ravel()
    norm = TwoSlopeNorm(vcenter=0.0, vmin=-largest, vmax=largest)
    for j, ax in enumerate(axes):
        if j >= shown:
            ax.set_axis_off()
        else:
            _image_axes(ax)
            image = ax.imshow(W1[:, j].reshape(SIDE, SIDE), cmap="RdBu", norm=norm, interpolation="nearest")
            ax.set_title(f"neuron {j}", fontsize=8, pad=2)
    bar = fig.colorbar(image, ax=list(axes), shrink=0.8)
    bar.set_label("weight from the pixel (blue: ink there raises z, red: lowers it)")
    heading = "First layer's weights, one 8x8 image per hidden neuron" + (
        f" (first {shown} of {W1.shape[1]} shown)" if shown < W1.shape[1] else "")
    fig.suptitle(f"{title}\n{heading}" if title else heading)
    return fig


def mistakes_first(labels, predicted):
    """The sample indices with the wrongly predicted ones first, each group in its original order."""
    wrong = _classes(labels) != _classes(predicted)
    return np.concatenate([np.flatnonzero(wrong), np.flatnonzero(~wrong)])


def examples_figure(images, labels, predicted, *, count=24, title="", which="held-out"):
    """The Figure: the first ``count`` of the ``images`` (n, 64), pixel values in [0, 1] (ink
    dark), each titled with its predicted and true digit, the mistakes first and in red;
    ``which`` images they are (the held-out ones, or the training ones of a run without a split)."""
    images = np.asarray(images, dtype=np.float64)
    labels, predicted = _classes(labels), _classes(predicted)
    order = mistakes_first(labels, predicted)[:count]
    columns = min(len(order), 8) or 1
    rows = max(int(np.ceil(len(order) / columns)), 1)
    fig = new_figure(figsize=(1.15 * columns + 0.3, 1.35 * rows + 0.8), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, columns, squeeze=False)).ravel()
    for ax, s in zip(axes, list(order) + [None] * (len(axes) - len(order))):
        if s is None:
            ax.set_axis_off()
            continue
        _image_axes(ax)
        ax.imshow(images[s].reshape(SIDE, SIDE), cmap="gray_r", vmin=0.0, vmax=1.0, interpolation="nearest")
        wrong = predicted[s] != labels[s]
        ax.set_title(f"predicted {predicted[s]}\ntrue {labels[s]}", fontsize=8, pad=2,
                     color=MISTAKE_COLOUR if wrong else "black", fontweight="bold" if wrong else "normal")
    mistakes = int(np.sum(predicted != labels))
    heading = (f"{mistakes} of {len(labels)} {which} images predicted wrong (in red, first); "
               f"{len(order)} shown")
    fig.suptitle(f"{title}\n{heading}" if title else heading)
    return fig
