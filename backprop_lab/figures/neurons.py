"""What every neuron learned: its activation over the input plane, laid out in the network's columns.

Column 0 holds the two inputs (x0 and x1 themselves, as maps), then one column per hidden layer,
then the output y_hat with the points and its 0.5 contour.  A first-layer neuron's map shows the
line it draws across the plane (its activation changes across z = x W + b = 0); the next layer's
maps show how it combines those lines into regions.
"""

import numpy as np
from matplotlib.colors import Normalize  # noqa: E402

from backprop_lab.conventions import DECISION_THRESHOLD
from backprop_lab.figures.boundary import CMAP, scatter_points

MAX_NEURONS_SHOWN = 8  # per layer; wider layers show their first 8 and say so

#: The range of each hidden activation, for a colour scale shared by a layer's maps (None: the
#: layer's own min and max over the plane, for the unbounded ones).
ACTIVATION_RANGES = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}


def _column_scale(kind, values, activation):
    if kind == "hidden" and activation in ACTIVATION_RANGES:
        return Normalize(*ACTIVATION_RANGES[activation])
    if kind == "output":
        return Normalize(0.0, 1.0)
    lo, hi = float(np.min(values)), float(np.max(values))
    return Normalize(lo, hi if hi > lo else lo + 1.0)


def _column_title(l, last, width, activation):
    shown = min(width, MAX_NEURONS_SHOWN)
    if l == 0:
        return "inputs"
    if l == last:
        return "output ŷ"
    title = f"hidden layer {l}\n({activation})"
    return title + (f"\nfirst {shown} of {width} shown" if shown < width else "")


def _bar_label(l, last, activation):
    if l == 0:
        return "input value"
    if l == last:
        return "ŷ = sigmoid(z)"
    return f"a = {activation}(z)"


def neuron_figure(plane, layers, X, Y, *, activation="sigmoid", title="", X_test=None, Y_test=None):
    """A Figure of every neuron's map, in the network's columns; return it.

    plane:  the backprop_lab.figures.boundary.Plane the activations were computed on.
    layers: list over layers l = 0 (inputs) .. L (output) of (ny * nx, sizes[l]) activations of
            every neuron at every grid point (layers[0] is the grid itself).
    X, Y:   training points, drawn on the output map (X_test, Y_test as triangles).
    Each column shares one colour scale, shown by the colour bar under it.  The layout is placed
    by hand, in inches, so that it adapts to any depth and width (up to MAX_NEURONS_SHOWN rows).
    """
    import matplotlib.pyplot as plt

    last = len(layers) - 1
    rows = min(max(a.shape[1] for a in layers), MAX_NEURONS_SHOWN)
    size, gap, column_width = 1.35, 0.32, 2.05  # a map's side, the space under it, a column (inches)
    head, foot = 1.25, 0.95  # title and column headings above, colour bars below
    width, height = max(column_width * len(layers), 7.5), head + rows * (size + gap) + foot
    fig = plt.figure(figsize=(width, height))
    left_margin = (width - column_width * len(layers)) / 2
    axes_by_column = []
    for l, values in enumerate(layers):
        shown = min(values.shape[1], MAX_NEURONS_SHOWN)
        kind = "input" if l == 0 else "output" if l == last else "hidden"
        norm = _column_scale(kind, values[:, :shown], activation)
        x = left_margin + l * column_width + (column_width - size) / 2
        top = head + (rows - shown) * (size + gap) / 2  # centred, as in a drawing of the network
        fig.text((x + size / 2) / width, 1 - (head - 0.15) / height,
                 _column_title(l, last, values.shape[1], activation), ha="center", va="bottom", fontsize="medium")
        axes = []
        for k in range(shown):
            y = height - (top + k * (size + gap) + size)
            ax = fig.add_axes((x / width, y / height, size / width, size / height))
            image = plane.image(values[:, k])
            artist = ax.imshow(image, origin="lower", extent=plane.extent, cmap=CMAP, norm=norm,
                               aspect="auto", interpolation="bilinear")
            if kind == "output":
                if image.min() < DECISION_THRESHOLD < image.max():
                    ax.contour(plane.x0, plane.x1, image, levels=[DECISION_THRESHOLD], colors="black",
                               linewidths=1.0)
                scatter_points(ax, X, Y, size=5, edges=False)
                if X_test is not None and len(X_test):
                    scatter_points(ax, X_test, Y_test, test=True, size=6)
                ax.set_xlim(plane.x0[0], plane.x0[-1])
                ax.set_ylim(plane.x1[0], plane.x1[-1])
            name = f"x{k}" if kind == "input" else "ŷ" if kind == "output" else f"neuron {k + 1}"
            ax.set_title(name, fontsize="small", pad=2)
            ax.set_xticks([])
            ax.set_yticks([])
            axes.append(ax)
        bar_axes = fig.add_axes((x / width, 0.5 / height, size / width, 0.12 / height))
        bar = fig.colorbar(artist, cax=bar_axes, orientation="horizontal")
        bar.set_label(_bar_label(l, last, activation), fontsize="small")
        bar.ax.tick_params(labelsize="x-small")
        axes_by_column.append(axes)
    fig.suptitle(title, fontsize="medium", y=1 - 0.2 / height, va="top")
    fig.text(0.5, 1 - 0.62 / height, "each map: the neuron's activation at every point of the input plane "
             "(x0 across, x1 up; the same plane as the decision boundary)", ha="center", va="top",
             fontsize="small", color="dimgrey")
    fig.axes_by_column = axes_by_column  # for tests and callers that annotate the maps
    return fig
