"""Held-out test points: a seeded fraction of the data that neither trainer trains on."""

import numpy as np


def held_out_count(n, fraction):
    """How many of ``n`` points ``fraction`` holds out: round(fraction * n), at least 1 when
    fraction > 0, and leaving at least one point to train on; a ValueError if it cannot."""
    fraction = float(fraction)
    if not 0.0 <= fraction < 1.0:  # also refuses NaN
        raise ValueError(f"the test fraction must be in [0, 1), got {fraction}")
    if fraction == 0.0:
        return 0
    held = max(1, int(round(fraction * n)))
    if held >= n:
        raise ValueError(f"a test fraction of {fraction:g} leaves none of the {n} points to train on")
    return held


def split_seed(seed):
    """The split's own random stream: the third child of ``seed`` (the first two fix the data and
    the weights, backprop_lab.network.seed_streams), so a test fraction never changes either."""
    return np.random.SeedSequence(seed).spawn(3)[2]


def split_indices(n, fraction, seed):
    """(train, test): sorted index arrays that are disjoint and together cover range(n) once.

    The test points are a uniformly random subset of ``held_out_count(n, fraction)`` points, fixed by
    ``seed``; both keep the data set's order, so training visits its points in that order.
    """
    held = held_out_count(n, fraction)
    chosen = np.zeros(n, dtype=bool)
    if held:
        chosen[np.random.default_rng(split_seed(seed)).choice(n, size=held, replace=False)] = True
    return np.flatnonzero(~chosen), np.flatnonzero(chosen)
