"""One optimizer step for one scalar parameter; the same rules are in ``matrix_net/optimizers.py``.

theta: the parameter;  g: its gradient dL/dtheta for this batch;
m, v:  its optimizer state (momentum: velocity in m; Adam: first moment in m, second in v).
bias1, bias2: Adam's bias corrections 1 - beta1^t and 1 - beta2^t for this step t.
Momentum, classic form (MOMENTUM): v <- momentum * v + g, theta <- theta - lr * v; averaged form
(MOMENTUM_AVERAGE): v <- momentum * v + (1 - momentum) * g, theta <- theta - lr * v.
Weight decay (L2, weights only) adds weight_decay * theta to g before the step: see
backprop_lab.conventions, "Weight decay".
"""

import math

from backprop_lab.options import ADAM, MOMENTUM, MOMENTUM_AVERAGE
from scalar_net.jit import jit


@jit(inline="always")
def step(kind, theta, g, m, v, lr, momentum, beta1, beta2, eps, bias1, bias2):
    """Return the updated (theta, m, v)."""
    if kind == MOMENTUM:
        m = momentum * m + g
        return theta - lr * m, m, v
    if kind == MOMENTUM_AVERAGE:
        m = momentum * m + (1.0 - momentum) * g
        return theta - lr * m, m, v
    if kind == ADAM:
        m = beta1 * m + (1.0 - beta1) * g
        v = beta2 * v + (1.0 - beta2) * (g * g)
        return theta - lr * (m / bias1) / (math.sqrt(v / bias2) + eps), m, v
    return theta - lr * g, m, v  # SGD


@jit(inline="always")
def with_weight_decay(g, theta, weight_decay):
    """dL/dtheta + weight_decay * theta, the gradient of L + (weight_decay / 2) theta^2.

    The product is rounded first, then added; with weight_decay = 0 the gradient is left untouched.
    """
    if weight_decay == 0.0:
        return g
    return g + weight_decay * theta
