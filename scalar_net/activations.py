"""Activations of one neuron: each is a pair, the function and its derivative, for a scalar z.

The same formulas, operation for operation, are in ``matrix_net/activations.py``.
Both are built on ``exp`` and ``expm1`` only, which this module takes from the C library (numba
compiles ``math.exp`` into a call to it) and matrix_net's exact mode takes from the same place
(matrix_net.libm).  ``tanh`` is written out from ``expm1`` rather than taken from ``math.tanh``
so that the matrix trainer needs no further function of the C library.
"""

import math

from backprop_lab.options import LEAKY_RELU, RELU, SIGMOID, SILU, TANH
from scalar_net.jit import jit


@jit(inline="always")
def sigmoid(z):
    """sigma(z) = e^min(z,0) / (1 + e^-|z|): 1 / (1 + e^-z) for z >= 0, e^z / (1 + e^z) below.

    Written so that exp never overflows (e^-|z| <= 1); matrix_net computes the same quotient.
    """
    e = math.exp(-abs(z))  # e^-z where z >= 0, e^z where z < 0
    d = 1.0 + e
    return 1.0 / d if z >= 0.0 else e / d


@jit(inline="always")
def tanh(z):
    """tanh z = -expm1(-2|z|) / (2 + expm1(-2|z|)), with the sign of z; accurate for small |z|."""
    u = math.expm1(-2.0 * abs(z))
    t = -u / (2.0 + u)
    return t if z >= 0.0 else -t


@jit(inline="always")
def activate(kind, z, slope):
    """a = g(z) for the activation ``kind`` (a code from backprop_lab.options)."""
    if kind == SIGMOID:
        return sigmoid(z)
    if kind == TANH:
        return tanh(z)
    if kind == RELU:
        return z if z > 0.0 else 0.0
    if kind == LEAKY_RELU:
        return z if z > 0.0 else slope * z
    if kind == SILU:
        return z * sigmoid(z)
    return z  # IDENTITY, the last of options.ACTIVATIONS (options.code refuses any other name)


@jit(inline="always")
def derivative(kind, z, a, slope):
    """g'(z), given z and a = g(z) (the sigmoid and tanh derivatives are cheapest from a)."""
    if kind == SIGMOID:
        return a * (1.0 - a)
    if kind == TANH:
        return 1.0 - a * a
    if kind == RELU:
        return 1.0 if z > 0.0 else 0.0
    if kind == LEAKY_RELU:
        return 1.0 if z > 0.0 else slope
    if kind == SILU:
        s = sigmoid(z)
        return s * (1.0 + z * (1.0 - s))
    return 1.0  # IDENTITY
