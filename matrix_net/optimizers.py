"""One optimizer step for a whole parameter array; the same rules as ``scalar_net/optimizers.py``.

theta, G: a parameter array and its gradient; M, V: its optimizer state, updated in place
(momentum: velocity in M; Adam: first moment in M, second in V).  Momentum, classic form
(MOMENTUM): v <- momentum v + g; averaged form (MOMENTUM_AVERAGE): v <- momentum v + (1 - momentum) g.
Weight decay (L2, weights only) adds weight_decay * theta to G before the step: see
backprop_lab.conventions, "Weight decay".
"""

import numpy as np

from backprop_lab.options import ADAM, MOMENTUM, MOMENTUM_AVERAGE


def step(kind, theta, G, M, V, lr, momentum, beta1, beta2, eps, bias1, bias2):
    """Update theta, M, V in place."""
    if kind == MOMENTUM:
        M[...] = momentum * M + G
        theta -= lr * M
    elif kind == MOMENTUM_AVERAGE:
        M[...] = momentum * M + (1.0 - momentum) * G
        theta -= lr * M
    elif kind == ADAM:
        M[...] = beta1 * M + (1.0 - beta1) * G
        V[...] = beta2 * V + (1.0 - beta2) * (G * G)
        theta -= lr * (M / bias1) / (np.sqrt(V / bias2) + eps)
    else:
        theta -= lr * G


def with_weight_decay(G, theta, weight_decay):
    """dL/dtheta + weight_decay * theta, the gradient of L + (weight_decay / 2) ||theta||^2.

    The product is rounded first, then added; with weight_decay = 0 the gradient is left untouched.
    """
    if weight_decay == 0.0:
        return G
    return G + weight_decay * theta
