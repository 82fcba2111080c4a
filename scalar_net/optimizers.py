"""One optimizer step for one scalar parameter; the same rules are in ``matrix_net/optimizers.py``.

theta:          the parameter;  g: its gradient dL/dtheta for this batch;
first, second:  its optimizer state (momentum: the velocity in ``first``; Adam: the first moment in
                ``first``, the second in ``second``);
bias1, bias2:   Adam's bias corrections 1 - beta1^t and 1 - beta2^t for this step t;
schedule:       the backprop_lab.settings.Schedule record (optimizer, lr, momentum, beta1, beta2, eps).
Momentum, classic form (MOMENTUM): v <- momentum * v + g, theta <- theta - lr * v; averaged form
(MOMENTUM_AVERAGE): v <- momentum * v + (1 - momentum) * g, theta <- theta - lr * v.
Weight decay (L2, weights only) adds weight_decay * theta to g before the step: see
backprop_lab.conventions, "Weight decay".
"""

import math

from backprop_lab.options import ADAM, MOMENTUM, MOMENTUM_AVERAGE
from scalar_net.jit import jit


@jit(inline="always")
def step(schedule, theta, g, first, second, bias1, bias2):
    """Return the updated (theta, first, second)."""
    if schedule.optimizer == MOMENTUM:
        first = schedule.momentum * first + g
        return theta - schedule.lr * first, first, second
    if schedule.optimizer == MOMENTUM_AVERAGE:
        first = schedule.momentum * first + (1.0 - schedule.momentum) * g
        return theta - schedule.lr * first, first, second
    if schedule.optimizer == ADAM:
        beta1, beta2 = schedule.beta1, schedule.beta2
        first = beta1 * first + (1.0 - beta1) * g
        second = beta2 * second + (1.0 - beta2) * (g * g)
        return theta - schedule.lr * (first / bias1) / (math.sqrt(second / bias2) + schedule.eps), first, second
    return theta - schedule.lr * g, first, second  # SGD


@jit(inline="always")
def with_weight_decay(g, theta, weight_decay):
    """dL/dtheta + weight_decay * theta, the gradient of L + (weight_decay / 2) theta^2.

    The product is rounded first, then added; with weight_decay = 0 the gradient is left untouched.
    """
    if weight_decay == 0.0:
        return g
    return g + weight_decay * theta
