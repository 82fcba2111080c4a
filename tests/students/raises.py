"""Cannot be checked: gradients raises (an index one past the last layer)."""

import numpy as np


def gradients(params, X, y):
    Ws = params[0::2]
    grads = [np.zeros_like(p) for p in params]
    for l in range(len(Ws) + 1):
        grads[2 * l] = Ws[l] * 0
    return grads
