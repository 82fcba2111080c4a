"""Every data set, by name: the lab's two and five more in the plane, with their rules and
ranges (DATASETS), and the 8x8 handwritten digits (digits.py; every name: NAMES).

``load(name, seed=..., n=..., noise=..., classes=...)`` returns float64 ``X`` of shape (n, 2) and
``y`` of shape (n, 1) holding 0/1 labels, or the class indices 0..K-1 of spiral and gaussian in
K = ``classes`` classes (CLASS_SETS), or the digits' (1797, 64) and 0..9; ``size(name, n)`` says
how many points that is without generating them.  A user's own points come from a CSV file
(csvfile.py), the held-out test points from split.py, a recipe per data set from recipes.py.
"""

from dataclasses import dataclass

import numpy as np

from backprop_lab.data import digits, shapes
from backprop_lab.data.lab import generate_linear, generate_xor_easy, linear_rule
from backprop_lab.data.noise import check_noise

XOR_SIZE = 21


@dataclass(frozen=True)
class DataSet:
    """What a student needs to know about a data set.

    rule:   how a point gets its label, in one line.
    bounds: (lo, hi): every point lies in [lo, hi]^2 (rectangles give the larger side) at
            noise 0; shape sets grow by ``noise`` on every side (see noise.py).
    noise:  what ``noise`` does to this set.
    label_rule: for the sets labelled by a rule, that rule as a function of (m, 2) positions
            returning (m,) booleans (True: class 1), e.g. to shade the true classes in a figure.
    """

    rule: str
    bounds: tuple
    noise: str
    generate: object  # (n, rng, noise) -> (X, y)
    label_rule: object = None

    def bounds_with(self, noise):
        """(lo, hi) with the growth ``noise`` causes (shape sets only)."""
        grows = self.noise.startswith("moves")
        lo, hi = self.bounds
        return (lo - noise, hi + noise) if grows else (lo, hi)


_MOVES_LABEL = "moves the spot where the label is read by up to noise: labels near the boundary mix"
_MOVES_POINT = "moves each point by up to noise in each coordinate: the classes' shapes thicken"

INFO = {
    "linear": DataSet("uniform in the unit square; class 1 where x0 <= x1 (on or above the diagonal)",
                      (0.0, 1.0), _MOVES_LABEL, lambda n, rng, noise: generate_linear(n, rng, noise), linear_rule),
    "xor": DataSet("the lab's 21 points: the diagonal (0.1i, 0.1i) is class 0, the anti-diagonal class 1",
                   (0.0, 1.0), _MOVES_POINT, lambda n, rng, noise: generate_xor_easy(noise, rng)),
    "chessboard": DataSet("uniform in the unit square, on a 4 x 4 board; class 1 on the squares whose "
                          "row + column is odd", (0.0, 1.0), _MOVES_LABEL, shapes.generate_chessboard,
                          shapes.chessboard_rule),
    "circle": DataSet("uniform in [-1, 1]^2; class 1 inside the circle of radius sqrt(2/pi) ~ 0.80 "
                      "around the origin (half the area)", (-1.0, 1.0), _MOVES_LABEL, shapes.generate_circle,
                      shapes.circle_rule),
    "spiral": DataSet(f"two spirals of {shapes.SPIRAL_TURNS:g} turns from the origin to radius 1, "
                      "half a turn apart: one per class", (-1.0, 1.0), _MOVES_POINT, shapes.generate_spiral),
    "moons": DataSet("two interleaved half circles: class 0 the upper one, class 1 the lower one",
                     (-1.0, 1.0), _MOVES_POINT, shapes.generate_moons),
    "gaussian": DataSet("two round gaussian blobs (sd 0.25) around (-0.5, -0.5), class 0, and "
                        "(0.5, 0.5), class 1, cut to [-1, 1]^2", (-1.0, 1.0), _MOVES_POINT,
                        shapes.generate_gaussian),
}

DATASETS = tuple(INFO)
DIGITS = "digits"
NAMES = DATASETS + (DIGITS,)
#: The sets that come in K >= 3 classes too (``classes``): K spiral arms, K gaussian blobs.
CLASS_SETS = {"spiral": shapes.generate_spiral, "gaussian": shapes.generate_gaussian}
MAX_CLASSES = 10


def _check_name(name):
    if name not in NAMES:
        raise ValueError(f"unknown data set {name!r}; choose one of {', '.join(NAMES)}")


def check_classes(name, classes):
    """``classes`` the set's own (2; the digits' 10), or a whole number 2..MAX_CLASSES for
    CLASS_SETS; else a ValueError naming it."""
    if isinstance(classes, bool) or not isinstance(classes, (int, np.integer)):
        raise ValueError(f"classes must be a whole number, got {classes!r:.60}")
    if name in CLASS_SETS and not 2 <= classes <= MAX_CLASSES:
        raise ValueError(f"classes must be from 2 to {MAX_CLASSES}, got {classes}")
    if name not in CLASS_SETS and classes != classes_of(name):
        raise ValueError(f"classes: {name} has {classes_of(name)} classes; K classes come with "
                         f"{' and '.join(CLASS_SETS)}")


def size(name, n=100):
    """How many points ``load(name, n=n)`` returns, computed without generating them."""
    _check_name(name)
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    return XOR_SIZE if name == "xor" else digits.SIZE if name == DIGITS else int(n)


def classes_of(name, classes=2):
    """How many classes ``load(name, classes=classes)`` labels its points with: the digits' 10,
    ``classes`` for CLASS_SETS, 2 for the others."""
    return digits.CLASSES if name == DIGITS else classes if name in CLASS_SETS else 2


def load(name, seed=None, n=100, noise=0.0, classes=None):
    """The data set called ``name``: ``n`` points (xor always has its 21, digits its 1797 images)
    fixed by ``seed``, in ``classes`` classes (spiral and gaussian; None: the set's own, 2 or the
    digits' 10).  The digits take neither ``seed``, ``n`` nor ``noise``: they are the file's.

    ``seed`` is anything numpy.random.default_rng takes (an int, a SeedSequence).
    """
    size(name, n)  # validates the name and n
    noise = check_noise(noise)
    classes = classes_of(name) if classes is None else classes
    check_classes(name, classes)
    if name == DIGITS:
        return digits.load_digits()
    if classes != 2:
        return CLASS_SETS[name](int(n), np.random.default_rng(seed), noise, classes)
    return INFO[name].generate(int(n), np.random.default_rng(seed), noise)


__all__ = ["DATASETS", "NAMES", "DIGITS", "CLASS_SETS", "INFO", "DataSet", "load", "size", "classes_of",
           "check_classes", "generate_linear", "generate_xor_easy"]
