"""The lab's two data sets.  Both return float64 ``X`` of shape (n, 2) and ``y`` of shape (n, 1)."""

import numpy as np

from backprop_lab.data.noise import jitter, labels_by_rule


def linear_rule(X):
    """Class 1 on or above the diagonal: x0 <= x1."""
    return X[:, 0] <= X[:, 1]


def generate_linear(n=100, seed=None, noise=0.0):
    """n points uniform in [0, 1)^2, labelled 0 where x0 > x1 and 1 otherwise (see noise.py)."""
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    rng = np.random.default_rng(seed)
    X = rng.uniform(0.0, 1.0, size=(n, 2))
    return X, labels_by_rule(linear_rule, X, rng, noise)


def generate_xor_easy(noise=0.0, seed=None):
    """The lab's 21 XOR points, in the lab's order.

    For i = 0..10: (0.1 i, 0.1 i) labelled 0, then (0.1 i, 1 - 0.1 i) labelled 1; the second
    point is skipped at i = 5, where it would repeat the centre (0.5, 0.5), which stays labelled 0.
    With ``noise`` the points move by up to ``noise`` in each coordinate (seeded); labels stay.
    """
    points, labels = [], []
    for i in range(11):
        points.append((0.1 * i, 0.1 * i))
        labels.append(0.0)
        if i == 5:
            continue
        points.append((0.1 * i, 1 - 0.1 * i))
        labels.append(1.0)
    X = np.array(points, dtype=np.float64)
    if noise:
        X = jitter(X, np.random.default_rng(seed), noise)
    return X, np.array(labels, dtype=np.float64).reshape(-1, 1)
