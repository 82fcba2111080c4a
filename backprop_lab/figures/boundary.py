"""The decision boundary: the network's output y_hat over the input plane, with the points on top.

One panel shows y_hat over a grid of the plane as a colour gradient (red = class 0, blue =
class 1, white = undecided), the 0.5 contour where the predicted class changes, the training
points as dots and held-out test points as triangles, each filled with its true class's colour.
"""

from dataclasses import dataclass

import matplotlib
import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from backprop_lab.conventions import DECISION_THRESHOLD

_STRONG = matplotlib.colormaps["RdBu"]
#: Class colours: the strong ends of red-white-blue (class 0 red, class 1 blue, as the lab draws them).
CLASS_COLOURS = (_STRONG(0.08), _STRONG(0.92))
#: y_hat 0 -> light red, 0.5 -> white, 1 -> light blue: the same map mixed with white, so the
#: points, in the strong colours, stand out from the shading under them.
CMAP = ListedColormap(0.75 * _STRONG(np.linspace(0.18, 0.82, 256)) + 0.25, name="RdBu_light")
#: Titles sit just above their axes.  Giving the height turns off matplotlib's search for tick
#: labels above the axes that the title would have to clear: a quarter of the drawing time.
TITLE_Y = 1.01
RESOLUTION = 200  # grid points per side: 200 x 200 = 40,000 forward passes in one batch


#: The widest plane a figure can show: matplotlib's ticks, spaced over the span, overflow a float
#: for spans near 1e308 (and its margins make a plane of points at ±1e308 span more than a float).
LARGEST_SPAN = 1e300


@dataclass(frozen=True)
class Plane:
    """A regular grid over the rectangle [x0_min, x0_max] x [x1_min, x1_max] of the input plane.

    x0: (nx,) and x1: (ny,) grid coordinates; ``points`` is the (ny * nx, 2) batch to predict, row
    by row from the bottom, so ``y_hat.reshape(ny, nx)`` is the image with x1 going up.
    """

    x0: np.ndarray
    x1: np.ndarray

    @classmethod
    def around(cls, *point_sets, resolution=RESOLUTION, margin=0.08, bounds=None):
        """The grid covering every point of ``point_sets`` ((m, 2) arrays) and ``bounds``
        ((lo, hi) for both axes, e.g. a data set's documented range), widened by ``margin``
        of its span on every side."""
        lo, hi = cls._range(point_sets, margin, bounds)
        why = cls.problem(*point_sets, margin=margin, bounds=bounds)
        if why:
            raise ValueError(why)
        return cls(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))

    @staticmethod
    def _range(point_sets, margin, bounds):
        points = np.vstack([np.asarray(p, dtype=np.float64).reshape(-1, 2) for p in point_sets if p is not None])
        lo, hi = points.min(axis=0), points.max(axis=0)
        if bounds is not None:
            lo, hi = np.minimum(lo, bounds[0]), np.maximum(hi, bounds[1])
        with np.errstate(over="ignore", invalid="ignore"):
            span = np.where(hi > lo, hi - lo, 1.0)
            return lo - margin * span, hi + margin * span

    @classmethod
    def problem(cls, *point_sets, margin=0.08, bounds=None):
        """Why no grid can be drawn around ``point_sets`` (as ``around``), or '': a plane whose
        span, margins included, is more than a float holds (points near ±1.7e308), or points
        that are not finite.  A command asks before any work."""
        points = np.vstack([np.asarray(p, dtype=np.float64).reshape(-1, 2) for p in point_sets if p is not None])
        lo, hi = cls._range(point_sets, margin, bounds)
        with np.errstate(over="ignore", invalid="ignore"):
            spans = hi - lo
        for axis in (0, 1):
            if not (np.isfinite(lo[axis]) and np.isfinite(hi[axis]) and spans[axis] <= LARGEST_SPAN):
                return (f"the points' x{axis} runs from {points[:, axis].min():.3g} to {points[:, axis].max():.3g}: "
                        f"a plane around them spans more than {LARGEST_SPAN:g}, which matplotlib's axes cannot "
                        "show (their ticks overflow a float); "
                        "scale the data")
        return ""

    @property
    def points(self):
        g0, g1 = np.meshgrid(self.x0, self.x1)
        return np.column_stack([g0.ravel(), g1.ravel()])

    @property
    def shape(self):
        return (self.x1.size, self.x0.size)

    @property
    def extent(self):
        return (self.x0[0], self.x0[-1], self.x1[0], self.x1[-1])

    def image(self, y_hat):
        """(ny * nx, 1) or (ny * nx,) outputs over ``points`` -> the (ny, nx) image."""
        return np.asarray(y_hat, dtype=np.float64).reshape(self.shape)

    def evaluate(self, predict):
        """The (ny, nx) image of ``predict(points)``: one batched call over the whole grid."""
        return self.image(predict(self.points))


def scatter_points(ax, X, Y, *, test=False, size=None, edges=True):
    """The points, filled with their true class's colour: dots for training points, triangles
    for held-out test points."""
    X, labels = np.asarray(X).reshape(-1, 2), np.asarray(Y).ravel() > DECISION_THRESHOLD
    colours = np.array(CLASS_COLOURS)[labels.astype(int)]
    if size is None:
        size = float(np.clip(2400 / max(len(X), 1), 7, 40))
    ax.scatter(X[:, 0], X[:, 1], c=colours, s=size * (1.6 if test else 1.0), marker="^" if test else "o",
               edgecolors="black" if edges or test else "none", linewidths=0.9 if test else 0.5, zorder=3)


def legend_handles(with_test):
    """Legend entries for the classes (and the test marker) and the 0.5 contour."""
    def marker(shape, colour, edge, label):
        return Line2D([], [], ls="", marker=shape, markersize=7, markerfacecolor=colour,
                      markeredgecolor=edge, label=label)

    handles = [marker("o", CLASS_COLOURS[0], "black", "class 0"), marker("o", CLASS_COLOURS[1], "black", "class 1")]
    if with_test:
        handles.append(marker("^", "lightgrey", "black", "held-out test point"))
    handles.append(Line2D([], [], color="black", lw=1.5, label="ŷ = 0.5 (boundary)"))
    return handles


TICK_STEPS = (1, 2, 2.5, 5, 10)  # ticks at -1, -0.5, 0, ... rather than -1.2, -0.6, 0, ...


def _frame(ax, plane):
    """The plane's limits, equal scales, and at most 6 ticks per axis (each one costs drawing time)."""
    ax.set_xlim(plane.x0[0], plane.x0[-1])
    ax.set_ylim(plane.x1[0], plane.x1[-1])
    ax.set_aspect("equal")
    ax.xaxis.set_major_locator(MaxNLocator(5, steps=TICK_STEPS))
    ax.yaxis.set_major_locator(MaxNLocator(5, steps=TICK_STEPS))


def draw_boundary(ax, prediction, X, Y, *, plane=None, X_test=None, Y_test=None, title=None,
                  colorbar=True, legend=False, axis_labels=True):
    """Draw one decision-boundary panel onto the matplotlib Axes ``ax``; return the image artist.

    prediction: either a function ``predict(points)`` of a (m, 2) batch returning y_hat (m, 1)
                (called once, on the whole grid), or a precomputed (ny, nx) image of y_hat over
                ``plane`` (see ``Plane.evaluate``), e.g. to draw many panels from one grid.
    X, Y:       (n, 2) training points and their (n, 1) 0/1 labels, drawn as dots.
    plane:      the grid (default: ``Plane.around(X, X_test)``); required with a precomputed image.
    X_test, Y_test: optional held-out points, drawn as triangles.
    colorbar:   add a colour bar for y_hat beside this panel (pass False and use the returned
                artist for one shared bar).
    """
    if plane is None:
        if not callable(prediction):
            raise ValueError("a precomputed y_hat image needs the plane it was computed on")
        plane = Plane.around(X, X_test)
    image = plane.evaluate(prediction) if callable(prediction) else plane.image(prediction)
    artist = ax.imshow(image, origin="lower", extent=plane.extent, cmap=CMAP, vmin=0.0, vmax=1.0,
                       aspect="auto", interpolation="bilinear")
    if image.min() < DECISION_THRESHOLD < image.max():  # a contour exists only where y_hat crosses 0.5
        ax.contour(plane.x0, plane.x1, image, levels=[DECISION_THRESHOLD], colors="black", linewidths=1.5)
    scatter_points(ax, X, Y)
    if X_test is not None and len(X_test):
        scatter_points(ax, X_test, Y_test, test=True)
    _frame(ax, plane)
    if axis_labels:
        ax.set_xlabel("x0")
        ax.set_ylabel("x1")
    if title:
        ax.set_title(title, y=TITLE_Y)
    if colorbar:
        bar = ax.figure.colorbar(artist, ax=ax, shrink=0.85, ticks=[0, 0.25, 0.5, 0.75, 1])
        bar.set_label("ŷ, the output (P(class 1))")
    if legend:
        ax.legend(handles=legend_handles(X_test is not None and len(X_test) > 0), loc="upper left",
                  fontsize="small", framealpha=0.85)
    return artist


def draw_truth(ax, X, Y, *, plane=None, X_test=None, Y_test=None, title="Ground truth", truth=None):
    """The points alone, on the same axes as the boundary panels; ``truth``, if given, is the
    (ny, nx) 0/1 image of the data set's own rule over ``plane``, shaded faintly with its boundary
    dashed, so the prediction panels can be held against the rule and not only the points."""
    plane = plane or Plane.around(X, X_test)
    if truth is not None:
        ax.imshow(truth, origin="lower", extent=plane.extent, cmap=CMAP, vmin=-0.6, vmax=1.6,
                  aspect="auto", interpolation="nearest")
        if truth.min() < DECISION_THRESHOLD < truth.max():
            ax.contour(plane.x0, plane.x1, truth, levels=[DECISION_THRESHOLD], colors="dimgrey",
                       linewidths=1.0, linestyles="--")
    scatter_points(ax, X, Y)
    if X_test is not None and len(X_test):
        scatter_points(ax, X_test, Y_test, test=True)
    _frame(ax, plane)
    ax.set_xlabel("x0")
    ax.set_ylabel("x1")
    ax.set_title(title, y=TITLE_Y)
