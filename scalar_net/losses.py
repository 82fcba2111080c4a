"""The loss of one sample and its output error; definitions in backprop_lab.conventions.

The same formulas are in ``matrix_net/losses.py``.
"""

import math

from backprop_lab.options import HALF_MSE, MSE
from scalar_net.jit import jit


@jit(inline="always")
def sample_loss(kind, z, y_hat, y):
    """This sample's term of the loss sum (before the 1/m).

    MSE: (y_hat - y)^2.  half-MSE: 0.5 (y_hat - y)^2, the 1/2 in the sample's term.
    BCE: -[y log y_hat + (1-y) log(1-y_hat)], written from the output's
    pre-activation z as softplus(z) - y z = max(z, 0) - y z + log1p(e^-|z|): finite for any z.
    """
    if kind == MSE:
        e = y_hat - y
        return e * e
    if kind == HALF_MSE:
        e = y_hat - y
        return 0.5 * (e * e)
    return max(z, 0.0) - y * z + math.log1p(math.exp(-abs(z)))


@jit(inline="always")
def output_delta(kind, y_hat, y, m):
    """delta of the output neuron, dL/dz, for one sample of a batch of m.

    MSE: dL/dy_hat = (2/m)(y_hat - y), times sigma'(z) = y_hat (1 - y_hat).
    half-MSE: the 1/2 cancels the square's 2: dL/dy_hat = (1/m)(y_hat - y), times sigma'(z).
    BCE: the sigmoid's derivative cancels the loss's denominator: dL/dz = (1/m)(y_hat - y).
    """
    if kind == MSE:
        return (2.0 / m) * (y_hat - y) * (y_hat * (1.0 - y_hat))
    if kind == HALF_MSE:
        return (1.0 / m) * (y_hat - y) * (y_hat * (1.0 - y_hat))
    return (1.0 / m) * (y_hat - y)
