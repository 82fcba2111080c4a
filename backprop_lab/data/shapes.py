"""The data sets beyond the lab's: chessboard, circle, spiral, moons, two gaussian blobs.

Each ``generate_*(n, rng, noise)`` takes a numpy Generator and returns float64 ``X`` (n, 2) and
``y`` (n, 1) of 0/1 labels.  Ranges: the chessboard lies on the unit square like the lab's sets;
the others are centred on the origin in [-1, 1]^2, because the biases start at 0, so every
first-layer neuron's first boundary line (z = x W = 0) passes through the origin: through the
middle of centred data, rather than through a corner of it.  How ``noise`` acts: noise.py.
The shape sets give class 1 ``n // 2`` points and class 0 the rest, shuffled (seeded) so that
mini-batches in data set order see both classes.
"""

import math

import numpy as np

from backprop_lab.data.noise import jitter, labels_by_rule

CHESSBOARD_SQUARES = 4  # squares per side
CIRCLE_RADIUS = float(np.sqrt(2 / np.pi))  # encloses half of [-1, 1]^2: the classes are balanced
SPIRAL_TURNS = 1.25
GAUSSIAN_CENTRES = ((-0.5, -0.5), (0.5, 0.5))  # class 0, class 1
GAUSSIAN_SPREAD = 0.25  # standard deviation of each coordinate


def chessboard_rule(X, squares=CHESSBOARD_SQUARES):
    """Class 1 on the squares whose row + column is odd; the square at the origin is class 0."""
    return (np.floor(squares * X[:, 0]) + np.floor(squares * X[:, 1])) % 2 == 1


def generate_chessboard(n, rng, noise=0.0):
    """n points uniform in [0, 1)^2, labelled by the parity of their square on a 4 x 4 board."""
    X = rng.uniform(0.0, 1.0, size=(n, 2))
    return X, labels_by_rule(chessboard_rule, X, rng, noise)


def circle_rule(X):
    """Class 1 strictly inside the circle of radius sqrt(2/pi) around the origin."""
    return np.hypot(X[:, 0], X[:, 1]) < CIRCLE_RADIUS


def generate_circle(n, rng, noise=0.0):
    """n points uniform in [-1, 1)^2, class 1 inside a circle holding half the square's area."""
    X = rng.uniform(-1.0, 1.0, size=(n, 2))
    return X, labels_by_rule(circle_rule, X, rng, noise)


def _cos(x):
    """cos of every element, by the C library (math.cos), as on every CPU.

    NumPy's np.cos and np.sin use SIMD code of NumPy's own on CPUs with AVX-512, whose last bits
    differ from the C library's; the points of a data set must not depend on the CPU.
    """
    return np.array([math.cos(v) for v in x.tolist()], dtype=np.float64)


def _sin(x):
    """sin of every element, by the C library (see _cos)."""
    return np.array([math.sin(v) for v in x.tolist()], dtype=np.float64)


def _two_classes(n, rng, draw, noise):
    """Draw class 0 and class 1 with ``draw(m, label)``, shuffle, then jitter by ``noise``."""
    ones = n // 2
    X = np.vstack([draw(n - ones, 0), draw(ones, 1)])
    y = np.concatenate([np.zeros(n - ones), np.ones(ones)])
    order = rng.permutation(n)
    return jitter(X[order], rng, noise), y[order].reshape(-1, 1)


def generate_spiral(n, rng, noise=0.0):
    """Two interleaved spirals: arm c at radius t and angle 2 pi TURNS t + pi c, t ~ U(0, 1)."""
    def arm(m, label):
        t = rng.uniform(0.0, 1.0, m)
        angle = 2 * np.pi * SPIRAL_TURNS * t + np.pi * label
        return np.column_stack([t * _cos(angle), t * _sin(angle)])
    return _two_classes(n, rng, arm, noise)


def generate_moons(n, rng, noise=0.0):
    """Two interleaved half circles of radius 2/3 in [-1, 1] x [-0.5, 0.5]: class 0 the upper
    one, opening down; class 1 the lower one, opening up, shifted right into the first's mouth."""
    def moon(m, label):
        theta = rng.uniform(0.0, np.pi, m)
        if label == 0:
            x, y = _cos(theta), _sin(theta)
        else:
            x, y = 1.0 - _cos(theta), 0.5 - _sin(theta)
        return np.column_stack([(x - 0.5) / 1.5, (y - 0.25) / 1.5])  # [-1, 2] x [-0.5, 1] -> centred
    return _two_classes(n, rng, moon, noise)


def generate_gaussian(n, rng, noise=0.0):
    """Two round gaussian blobs, sd 0.25, around (-0.5, -0.5) (class 0) and (0.5, 0.5) (class 1),
    cut to [-1, 1]^2 (a point drawn outside is drawn again)."""
    def blob(m, label):
        centre = np.array(GAUSSIAN_CENTRES[label])
        points = np.empty((0, 2))
        while len(points) < m:
            more = rng.normal(centre, GAUSSIAN_SPREAD, size=(m - len(points), 2))
            points = np.vstack([points, more[np.all(np.abs(more) <= 1.0, axis=1)]])
        return points
    return _two_classes(n, rng, blob, noise)
