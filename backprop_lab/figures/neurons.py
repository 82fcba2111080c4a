"""What every neuron learned: its activation over the input plane, laid out in the network's columns.

Column 0 holds the two inputs (x0 and x1 themselves, as maps), then one column per hidden layer,
then the output y_hat with the points and its 0.5 contour (for K softmax outputs, a map per class:
its probability, with that class's points).  A first-layer neuron's map shows the
line it draws across the plane (its activation changes across z = x W + b = 0); the next layer's
maps show how it combines those lines into regions.
"""

import numpy as np
from matplotlib.colors import Normalize
from matplotlib.patches import Rectangle

from backprop_lab.conventions import DECISION_THRESHOLD
from backprop_lab.figures.boundary import CMAP, scatter_points
from backprop_lab.figures.new import new_figure

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
        return "output ŷ" if width == 1 else "output\n(softmax)" + (f"\nfirst {shown} of {width} shown"
                                                                     if shown < width else "")
    title = f"hidden layer {l}\n({activation})"
    return title + (f"\nfirst {shown} of {width} shown" if shown < width else "")


def _bar_label(l, last, activation, width=1):
    if l == 0:
        return "input value"
    if l == last:
        return "ŷ = sigmoid(z)" if width == 1 else "ŷ[j] = softmax(z)[j], P(class j)"
    return f"a = {activation}(z)"


def _bar_groups(norms, labels):
    """Neighbouring columns with the same colour scale share one colour bar: [(first, last, label)]."""
    groups = []
    for l, norm in enumerate(norms):
        if groups and (norm.vmin, norm.vmax) == (norms[groups[-1][0]].vmin, norms[groups[-1][0]].vmax):
            first, _, label = groups[-1]
            groups[-1] = (first, l, label if labels[l] == label else f"{label} and {labels[l]}")
        else:
            groups.append((l, l, labels[l]))
    return groups


def neuron_figure(plane, layers, X, Y, *, activation="sigmoid", title="", X_test=None, Y_test=None):
    """A Figure of every neuron's map, in the network's columns; return it.

    plane:  the backprop_lab.figures.boundary.Plane the activations were computed on.
    layers: list over layers l = 0 (inputs) .. L (output) of (ny * nx, sizes[l]) activations of
            every neuron at every grid point (layers[0] is the grid itself).
    X, Y:   training points, drawn on the output map (X_test, Y_test as triangles).

    Every map is an image on ONE set of axes whose units are inches, placed by hand, so the
    layout adapts to any depth and width (up to MAX_NEURONS_SHOWN rows) and drawing stays cheap:
    one Axes per map, with its ticks, cost about a tenth of a second each to draw.  Columns with
    the same colour scale share one colour bar.  ``fig.maps`` lists, per column, (name, image).
    """
    last = len(layers) - 1
    rows = min(max(a.shape[1] for a in layers), MAX_NEURONS_SHOWN)
    size, gap, column_width = 1.35, 0.32, 2.05  # a map's side, the space under it, a column (inches)
    headings = [_column_title(l, last, values.shape[1], activation) for l, values in enumerate(layers)]
    lines = max(heading.count("\n") + 1 for heading in headings)
    head, foot = 0.85 + 0.2 * lines, 0.95  # title and column headings above, colour bars below
    width, height = max(column_width * len(layers), 7.5), head + rows * (size + gap) + foot
    fig = new_figure(figsize=(width, height))
    ax = fig.add_axes((0, 0, 1, 1))  # data coordinates = inches from the bottom left corner
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    left_margin = (width - column_width * len(layers)) / 2
    norms, labels, columns_x, maps = [], [], [], []
    for l, values in enumerate(layers):
        shown = min(values.shape[1], MAX_NEURONS_SHOWN)
        kind = "input" if l == 0 else "output" if l == last else "hidden"
        norm = _column_scale(kind, values[:, :shown], activation)
        x = left_margin + l * column_width + (column_width - size) / 2
        top = head + (rows - shown) * (size + gap) / 2  # centred, as in a drawing of the network
        ax.text(x + size / 2, height - head + 0.15, headings[l], ha="center", va="bottom", fontsize="medium")
        column = []
        for k in range(shown):
            y = height - (top + k * (size + gap) + size)
            box = (x, x + size, y, y + size)
            image = plane.image(values[:, k])
            artist = ax.imshow(image, origin="lower", extent=box, cmap=CMAP, norm=norm, aspect="auto",
                               interpolation="bilinear")
            ax.add_patch(Rectangle((x, y), size, size, fill=False, lw=0.8))
            classes = values.shape[1]
            name = (f"x{k}" if kind == "input" else f"neuron {k + 1}" if kind == "hidden"
                    else "ŷ" if classes == 1 else f"ŷ[{k}]: class {k}")
            ax.text(x + size / 2, y + size + 0.03, name, ha="center", va="bottom", fontsize="small")
            if kind == "output":
                _draw_output_overlay(ax, plane, image, box, X, Y, X_test, Y_test,
                                     None if classes == 1 else (k, classes))
            column.append((name, artist))
        norms.append(norm)
        labels.append(_bar_label(l, last, activation, values.shape[1]))
        columns_x.append(x)
        maps.append(column)
    for first, final, label in _bar_groups(norms, labels):
        left, right = columns_x[first], columns_x[final] + size
        cax = fig.add_axes((left / width, 0.5 / height, (right - left) / width, 0.12 / height))
        bar = fig.colorbar(maps[first][0][1], cax=cax, orientation="horizontal")
        bar.set_label(label, fontsize="small")
        bar.ax.tick_params(labelsize="x-small")
    fig.suptitle(title, fontsize="medium", y=1 - 0.2 / height, va="top")
    fig.text(0.5, 1 - 0.62 / height, "each map: the neuron's activation at every point of the input plane "
             "(x0 across, x1 up; the same plane as the decision boundary)", ha="center", va="top",
             fontsize="small", color="dimgrey")
    fig.maps = maps
    return fig


def _draw_output_overlay(ax, plane, image, box, X, Y, X_test, Y_test, one_of=None):
    """The 0.5 contour and the points on the output map, moved from the plane into its box;
    ``one_of`` = (j, K) for the map of class j of K softmax outputs: the points of class j alone,
    in its colour (backprop_lab.figures.classes)."""
    (lo0, hi0, lo1, hi1), (x, right, y, top) = plane.extent, box

    def place(points):
        points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        return np.column_stack([x + (points[:, 0] - lo0) / (hi0 - lo0) * (right - x),
                                y + (points[:, 1] - lo1) / (hi1 - lo1) * (top - y)])

    if image.min() < DECISION_THRESHOLD < image.max():
        ax.contour(np.linspace(x, right, plane.x0.size), np.linspace(y, top, plane.x1.size), image,
                   levels=[DECISION_THRESHOLD], colors="black", linewidths=1.0)
    if one_of is not None:
        from backprop_lab.figures.classes import class_colours

        j, K = one_of
        for points, labels, marker, size in ((X, Y, "o", 5), (X_test, Y_test, "^", 9)):
            if points is None or not len(points):
                continue
            mine = place(points)[np.asarray(labels).ravel() == j]
            ax.scatter(mine[:, 0], mine[:, 1], c=[class_colours(K)[j]], s=size, marker=marker,
                       edgecolors="black", linewidths=0.4, zorder=3)
        return
    scatter_points(ax, place(X), Y, size=5, edges=False)
    if X_test is not None and len(X_test):
        scatter_points(ax, place(X_test), Y_test, test=True, size=6)
