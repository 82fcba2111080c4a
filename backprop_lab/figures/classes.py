"""K classes on the input plane: each point of the plane coloured by the class the network predicts,
lighter where it is unsure, the boundaries between the regions drawn as lines, the points on top
in their true class's colour (training points as dots, held-out points as triangles, as in
backprop_lab.figures.boundary).

The predicted class is the argmax of the K probabilities (the first largest); how sure the network
is, the top probability, runs from 1/K (a tie of all K) to 1, and sets how strong the colour is.
"""

import matplotlib
import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.lines import Line2D

from backprop_lab.figures.boundary import TITLE_Y, Plane, _frame
from backprop_lab.figures.new import new_figure

#: Colour-blind friendly class colours (matplotlib's tab10), class k -> PALETTE[k % 10].
PALETTE = matplotlib.colormaps["tab10"].colors
#: How much of a class's colour the plane gets: LIGHTEST at a K-way tie, STRONGEST when certain;
#: never the full colour, so the points, drawn in it, stand out from the region under them.
LIGHTEST, STRONGEST = 0.06, 0.45


def class_colours(K):
    """(K, 3) RGB: class k's colour."""
    return np.array([PALETTE[k % len(PALETTE)] for k in range(K)])


def _probabilities(prediction, plane):
    """(ny * nx, K) probabilities over ``plane``: ``prediction(points)``, or the given array."""
    probabilities = prediction(plane.points) if callable(prediction) else prediction
    probabilities = np.asarray(probabilities, dtype=np.float64)
    return probabilities.reshape(plane.x0.size * plane.x1.size, -1)


def _strength(top, K):
    """How strong the colour is for the top probability ``top``: 1/K -> LIGHTEST, 1 -> STRONGEST."""
    sure = np.clip((top - 1.0 / K) / (1.0 - 1.0 / K), 0.0, 1.0)
    return LIGHTEST + (STRONGEST - LIGHTEST) * sure


def scatter_classes(ax, X, labels, K, *, test=False):
    """The points (n, 2), filled with the colour of their class ``labels`` (n,) or (n, 1):
    dots, or triangles for held-out points."""
    X, labels = np.asarray(X).reshape(-1, 2), np.asarray(labels).ravel().astype(int)
    size = float(np.clip(2400 / max(len(X), 1), 7, 40)) * (1.6 if test else 1.0)
    ax.scatter(X[:, 0], X[:, 1], c=class_colours(K)[labels], s=size, marker="^" if test else "o",
               edgecolors="black", linewidths=0.9 if test else 0.5, zorder=3)


def draw_classes(ax, prediction, X, labels, *, plane=None, X_test=None, labels_test=None, title=None):
    """Draw the K-class plane onto the Axes ``ax``; return (predicted class image, top probability image).

    prediction: a function from points (N, 2) to probabilities (N, K), rows summing to 1 (called
                once, on the whole grid), or those probabilities over ``plane`` ((ny * nx, K)).
    X, labels:  (n, 2) training points and their classes 0..K-1 ((n,) or (n, 1)), drawn as dots.
    X_test, labels_test: held-out points, drawn as triangles.
    """
    if plane is None:
        if not callable(prediction):
            raise ValueError("precomputed probabilities need the plane they were computed on")
        plane = Plane.around(X, X_test)
    probabilities = _probabilities(prediction, plane)
    K = probabilities.shape[1]
    predicted = plane.image(np.argmax(probabilities, axis=1))  # the first largest, as the contract says
    top = plane.image(np.max(probabilities, axis=1))
    strength = _strength(top, K)[..., None]
    rgb = 1.0 - strength * (1.0 - class_colours(K)[predicted.astype(int)])  # white mixed with the class colour
    ax.imshow(rgb, origin="lower", extent=plane.extent, aspect="auto", interpolation="nearest")
    for k in range(K):  # each region's edge; two neighbours draw their shared edge on the same line
        region = (predicted == k).astype(float)
        if 0 < region.sum() < region.size:
            ax.contour(plane.x0, plane.x1, region, levels=[0.5], colors="black", linewidths=1.2)
    scatter_classes(ax, X, labels, K)
    if X_test is not None and len(X_test):
        scatter_classes(ax, X_test, labels_test, K, test=True)
    _frame(ax, plane)
    ax.set_xlabel("x0")
    ax.set_ylabel("x1")
    if title:
        ax.set_title(title, y=TITLE_Y)
    return predicted, top


def legend_handles(K, with_test):
    """A legend entry per class, the held-out marker, and the boundary line."""
    def marker(shape, colour, label):
        return Line2D([], [], ls="", marker=shape, markersize=7, markerfacecolor=colour, markeredgecolor="black",
                      label=label)

    handles = [marker("o", colour, f"class {k}") for k, colour in enumerate(class_colours(K))]
    if with_test:
        handles.append(marker("^", "lightgrey", "held-out point"))
    handles.append(Line2D([], [], color="black", lw=1.2, label="boundary"))
    return handles


def classes_plane_figure(prediction, X, labels, *, plane=None, X_test=None, labels_test=None, title=""):
    """The Figure: the plane coloured by the predicted class, with a bar for how sure the network is
    and a legend of the classes below the panel (where it hides no point).  Arguments: draw_classes;
    with a function for ``prediction`` the title also says how many points it gets right."""
    plane = plane or Plane.around(X, X_test)
    probabilities = _probabilities(prediction, plane)
    K = probabilities.shape[1]
    fig = new_figure(figsize=(6.4, 6.4), layout="constrained")
    ax = fig.subplots()
    draw_classes(ax, probabilities, X, labels, plane=plane, X_test=X_test, labels_test=labels_test)
    greys = LinearSegmentedColormap.from_list("sureness", [(1 - LIGHTEST,) * 3, (1 - STRONGEST,) * 3])
    bar = fig.colorbar(ScalarMappable(Normalize(1.0 / K, 1.0), greys), ax=ax, shrink=0.8)
    bar.set_label("top probability (lighter: less sure)")
    testing = X_test is not None and len(X_test) > 0
    handles = legend_handles(K, testing)
    fig.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 4), frameon=False)
    lines = [title] if title else []
    if callable(prediction):
        lines.append(_score(prediction, X, labels, "training")
                     + (", " + _score(prediction, X_test, labels_test, "held out") if testing else ""))
    fig.suptitle("\n".join(lines))
    return fig


def _score(prediction, X, labels, which):
    right = int(np.sum(np.argmax(prediction(np.asarray(X)), axis=1) == np.asarray(labels).ravel()))
    return f"{which} {right} of {len(X)} right"
