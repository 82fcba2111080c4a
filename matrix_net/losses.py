"""The per-sample losses of a batch and the output layer's delta; see backprop_lab.conventions.

The same formulas, operation for operation, as ``scalar_net/losses.py``.
"""

import numpy as np

from backprop_lab.options import HALF_MSE, MSE


def sample_losses(kind, Z, Y_hat, Y, mode):
    """(m, 1): each sample's term of the loss sum (before the 1/m).

    MSE: (y_hat - y)^2.  half-MSE: 0.5 (y_hat - y)^2, the 1/2 in the sample's term.
    BCE: softplus(z) - y z = max(z, 0) - y z + log1p(e^-|z|), finite for any z
    (``mode``, matrix_net.modes, supplies exp and log1p).
    """
    if kind == MSE:
        E = Y_hat - Y
        return E * E
    if kind == HALF_MSE:
        E = Y_hat - Y
        return 0.5 * (E * E)
    return np.maximum(Z, 0.0) - Y * Z + mode.log1p(mode.exp(-np.abs(Z)))


def output_delta(kind, Y_hat, Y, m):
    """(m, 1): dL/dZ of the output layer for a batch of m.

    MSE: (2/m)(Y_hat - Y) * sigma'(Z), with sigma'(Z) = Y_hat (1 - Y_hat).
    half-MSE: the 1/2 cancels the square's 2: (1/m)(Y_hat - Y) * sigma'(Z).
    BCE: the sigmoid's derivative cancels the loss's denominator: (1/m)(Y_hat - Y).
    """
    if kind == MSE:
        return (2.0 / m) * (Y_hat - Y) * (Y_hat * (1.0 - Y_hat))
    if kind == HALF_MSE:
        return (1.0 / m) * (Y_hat - Y) * (Y_hat * (1.0 - Y_hat))
    return (1.0 / m) * (Y_hat - Y)
