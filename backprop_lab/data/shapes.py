"""The data sets beyond the lab's: chessboard, circle, spiral, moons, two gaussian blobs.

Each ``generate_*(n, rng, noise)`` takes a numpy Generator and returns float64 ``X`` (n, 2) and
``y`` (n, 1) of 0/1 labels.  Ranges: the chessboard lies on the unit square like the lab's sets;
the others are centred on the origin in [-1, 1]^2, because the biases start at 0, so every
first-layer neuron's first boundary line (z = x W = 0) passes through the origin: through the
middle of centred data, rather than through a corner of it.  How ``noise`` acts: noise.py.
The shape sets give class 1 ``n // 2`` points and class 0 the rest, shuffled (seeded) so that
mini-batches in data set order see both classes.  Spiral and gaussian also come in K >= 3
classes (``classes``): K arms, K blobs, labels 0..K-1, each class n // K points or one more;
with K = 2 they are the two-class sets, bit for bit.
"""

import math

import numpy as np

from backprop_lab.data.noise import jitter, labels_by_rule

CHESSBOARD_SQUARES = 4  # squares per side
CIRCLE_RADIUS = float(np.sqrt(2 / np.pi))  # encloses half of [-1, 1]^2: the classes are balanced
SPIRAL_TURNS = 1.25
GAUSSIAN_CENTRES = ((-0.5, -0.5), (0.5, 0.5))  # class 0, class 1
GAUSSIAN_SPREAD = 0.25  # standard deviation of each coordinate
GAUSSIAN_RADIUS = 0.6  # K >= 3 blobs: their centres' distance from the origin (3 blobs 1.04 apart, 4 blobs 0.85)


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


def _classes(n, rng, draw, noise, classes=2):
    """Draw class 0, 1, ..., classes-1 with ``draw(m, label)`` (class c: n // classes points, one
    more for the first n % classes; for two classes, class 1 n // 2), shuffle, then jitter by ``noise``."""
    counts = [n // classes + (1 if c < n % classes else 0) for c in range(classes)]
    X = np.vstack([draw(m, c) for c, m in enumerate(counts)])
    y = np.concatenate([np.full(m, float(c)) for c, m in enumerate(counts)])
    order = rng.permutation(n)
    return jitter(X[order], rng, noise), y[order].reshape(-1, 1)


def generate_spiral(n, rng, noise=0.0, classes=2):
    """``classes`` interleaved spirals: arm c at radius t and angle 2 pi TURNS t + pi (2c / classes),
    t ~ U(0, 1) (two arms half a turn apart; K arms a K-th of a turn apart)."""
    def arm(m, label):
        t = rng.uniform(0.0, 1.0, m)
        angle = 2 * np.pi * SPIRAL_TURNS * t + np.pi * (2 * label / classes)
        return np.column_stack([t * _cos(angle), t * _sin(angle)])
    return _classes(n, rng, arm, noise, classes)


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
    return _classes(n, rng, moon, noise)


def gaussian_centres(classes=2):
    """The blobs' centres: GAUSSIAN_CENTRES for two classes; for K, on the circle of radius
    GAUSSIAN_RADIUS, class c at the angle pi/2 + 2 pi c / K (the C library's cos and sin)."""
    if classes == 2:
        return GAUSSIAN_CENTRES
    angles = np.pi / 2 + 2 * np.pi * np.arange(classes) / classes
    return tuple(zip(GAUSSIAN_RADIUS * _cos(angles), GAUSSIAN_RADIUS * _sin(angles)))


def generate_gaussian(n, rng, noise=0.0, classes=2):
    """Two round gaussian blobs, sd 0.25, around (-0.5, -0.5) (class 0) and (0.5, 0.5) (class 1),
    or ``classes`` blobs around gaussian_centres(classes); cut to [-1, 1]^2 (a point drawn outside
    is drawn again)."""
    centres = gaussian_centres(classes)

    def blob(m, label):
        centre = np.array(centres[label])
        points = np.empty((0, 2))
        while len(points) < m:
            more = rng.normal(centre, GAUSSIAN_SPREAD, size=(m - len(points), 2))
            points = np.vstack([points, more[np.all(np.abs(more) <= 1.0, axis=1)]])
        return points
    return _classes(n, rng, blob, noise, classes)
