"""The lab's two data sets.  Both return float64 ``X`` of shape (n, 2) and ``y`` of shape (n, 1)."""

import numpy as np


def generate_linear(n=100, seed=None):
    """n points uniform in [0, 1)^2, labelled 0 where x0 > x1 and 1 otherwise."""
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    rng = np.random.default_rng(seed)
    X = rng.uniform(0.0, 1.0, size=(n, 2))
    y = (X[:, 0] <= X[:, 1]).astype(np.float64).reshape(n, 1)
    return X, y


def generate_xor_easy():
    """The lab's 21 XOR points, in the lab's order.

    For i = 0..10: (0.1 i, 0.1 i) labelled 0, then (0.1 i, 1 - 0.1 i) labelled 1; the second
    point is skipped at i = 5, where it would repeat the centre (0.5, 0.5), which stays labelled 0.
    """
    points, labels = [], []
    for i in range(11):
        points.append((0.1 * i, 0.1 * i))
        labels.append(0.0)
        if i == 5:
            continue
        points.append((0.1 * i, 1 - 0.1 * i))
        labels.append(1.0)
    return np.array(points, dtype=np.float64), np.array(labels, dtype=np.float64).reshape(-1, 1)


DATASETS = ("linear", "xor")


def load(name, seed=None, n=100):
    """The data set called ``name`` ('linear' uses ``n`` and ``seed``; 'xor' is fixed)."""
    if name == "linear":
        return generate_linear(n, seed)
    if name == "xor":
        return generate_xor_easy()
    raise ValueError(f"unknown data set {name!r}; choose one of {', '.join(DATASETS)}")


XOR_SIZE = 21  # generate_xor_easy's points


def size(name, n=100):
    """How many points ``load(name, n=n)`` returns, without generating them (n may be huge)."""
    if name == "linear":
        return n
    if name == "xor":
        return XOR_SIZE
    raise ValueError(f"unknown data set {name!r}; choose one of {', '.join(DATASETS)}")
