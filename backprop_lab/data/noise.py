"""The two ways ``noise`` blurs a data set, both measured in the data's own units.

Rule sets (a label is a function of the position: linear, chessboard, circle) keep every point
where it was drawn and read its label at a spot moved by up to ``noise`` in each coordinate, so
only points within ``noise`` of the boundary (in every coordinate direction) can carry the other
class's label; the points stay in the set's range.

Shape sets (each class is a shape the points are drawn along: spiral, moons, gaussian, xor) keep
every point's label and move the point by up to ``noise`` in each coordinate, so the classes'
shapes thicken and, with enough noise, overlap; the range grows by ``noise`` on every side.

Both draw the moves uniformly from [-noise, noise]^2, after the points, from the same generator:
``noise=0`` draws nothing, so it gives exactly the points of the noise-free set.
"""

import numpy as np


def check_noise(noise):
    """``noise`` as a float in [0, 1]; a ValueError naming the problem otherwise."""
    noise = float(noise)
    if not 0.0 <= noise <= 1.0:  # also refuses NaN
        raise ValueError(f"noise must be between 0 and 1, got {noise}")
    return noise


def moves(rng, noise, shape):
    """Uniform moves in [-noise, noise], of ``shape``; zeros (and nothing drawn) when noise is 0."""
    if noise == 0.0:
        return np.zeros(shape)
    return rng.uniform(-noise, noise, size=shape)


def labels_by_rule(rule, X, rng, noise):
    """(n, 1) float labels: ``rule`` (a function of (n, 2) positions returning (n,) booleans,
    True for class 1) read at the points moved by up to ``noise``; the points themselves stay."""
    return rule(X + moves(rng, noise, X.shape)).astype(np.float64).reshape(-1, 1)


def jitter(X, rng, noise):
    """The points X (n, 2) moved by up to ``noise`` in each coordinate."""
    return X + moves(rng, noise, X.shape)
