"""One optimizer step for a whole parameter array; the same rules as ``scalar_net/optimizers.py``.

theta, G:       a parameter array and its gradient;
first, second:  its optimizer state, updated in place (momentum: the velocity in ``first``; Adam:
                the first moment in ``first``, the second in ``second``);
bias1, bias2:   Adam's bias corrections 1 - beta1^t and 1 - beta2^t for this step t;
schedule:       the backprop_lab.settings.Schedule record (optimizer, lr, momentum, beta1, beta2, eps).
Momentum, classic form (MOMENTUM): v <- momentum v + g; averaged form (MOMENTUM_AVERAGE):
v <- momentum v + (1 - momentum) g.  Weight decay (L2, weights only) adds weight_decay * theta to G
before the step: see backprop_lab.conventions, "Weight decay".
"""

import numpy as np

from backprop_lab.options import ADAM, MOMENTUM, MOMENTUM_AVERAGE


def step(schedule, theta, G, first, second, bias1, bias2):
    """Update theta, first, second in place."""
    if schedule.optimizer == MOMENTUM:
        first[...] = schedule.momentum * first + G
        theta -= schedule.lr * first
    elif schedule.optimizer == MOMENTUM_AVERAGE:
        first[...] = schedule.momentum * first + (1.0 - schedule.momentum) * G
        theta -= schedule.lr * first
    elif schedule.optimizer == ADAM:
        beta1, beta2 = schedule.beta1, schedule.beta2
        first[...] = beta1 * first + (1.0 - beta1) * G
        second[...] = beta2 * second + (1.0 - beta2) * (G * G)
        theta -= schedule.lr * (first / bias1) / (np.sqrt(second / bias2) + schedule.eps)
    else:  # SGD
        theta -= schedule.lr * G


def with_weight_decay(G, theta, weight_decay):
    """dL/dtheta + weight_decay * theta, the gradient of L + (weight_decay / 2) ||theta||^2.

    The product is rounded first, then added; with weight_decay = 0 the gradient is left untouched.
    """
    if weight_decay == 0.0:
        return G
    return G + weight_decay * theta
