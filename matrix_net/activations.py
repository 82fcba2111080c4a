"""Activations of a whole layer: each is a pair, the function and its derivative, for an array Z.

The same formulas, operation for operation, as ``scalar_net/activations.py`` (see there why
tanh is written from expm1).  ``mode`` (matrix_net.modes) supplies exp and expm1.
"""

import numpy as np

from backprop_lab.options import LEAKY_RELU, RELU, SIGMOID, SILU, TANH


def sigmoid(Z, mode):
    """sigma(z) = e^min(z,0) / (1 + e^-|z|) elementwise: no exp overflows, no branch.

    One exp, e = e^-|z| <= 1, gives both parts.  The numerator e^min(z,0) is 1 where z >= 0 and
    e where z < 0, which is max(e, [z >= 0]): max returns one of its operands exactly, and
    e <= 1.  The same division as scalar_net's two branches, without NumPy's costly ``where``
    and without a second exp (the exp is most of the cost on large layers).
    """
    e = mode.exp(-np.abs(Z))
    return np.maximum(e, Z >= 0.0) / (1.0 + e)


def tanh(Z, mode):
    """tanh z = -expm1(-2|z|) / (2 + expm1(-2|z|)), with the sign of z."""
    u = mode.expm1(-2.0 * np.abs(Z))
    t = -u / (2.0 + u)
    return np.where(Z >= 0.0, t, -t)


def activate(kind, Z, slope, mode):
    """A = g(Z) for the activation ``kind`` (a code from backprop_lab.options)."""
    if kind == SIGMOID:
        return sigmoid(Z, mode)
    if kind == TANH:
        return tanh(Z, mode)
    if kind == RELU:
        return np.where(Z > 0.0, Z, 0.0)
    if kind == LEAKY_RELU:
        return np.where(Z > 0.0, Z, slope * Z)
    if kind == SILU:
        return Z * sigmoid(Z, mode)
    return Z  # IDENTITY, the last of options.ACTIVATIONS (options.code refuses any other name)


def derivative(kind, Z, A, slope, mode):
    """g'(Z) elementwise, given Z and A = g(Z)."""
    if kind == SIGMOID:
        return A * (1.0 - A)
    if kind == TANH:
        return 1.0 - A * A
    if kind == RELU:
        return np.where(Z > 0.0, 1.0, 0.0)
    if kind == LEAKY_RELU:
        return np.where(Z > 0.0, 1.0, slope)
    if kind == SILU:
        S = sigmoid(Z, mode)
        return S * (1.0 + Z * (1.0 - S))
    return np.ones_like(Z)  # IDENTITY
