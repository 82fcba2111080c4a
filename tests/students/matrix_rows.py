"""Right: matrix form, row vectors (the package's layout).  X (m, 2), W_l (fan_in, fan_out)."""

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def forward_pass(params, X):
    Ws, bs = params[0::2], params[1::2]
    As, Zs = [X], [None]
    for W, b in zip(Ws, bs):
        Z = As[-1] @ W + b
        Zs.append(Z)
        As.append(sigmoid(Z))
    return Zs, As


def forward(params, X):
    return forward_pass(params, X)[1][-1]


def gradients(params, X, y):
    Ws = params[0::2]
    Zs, As = forward_pass(params, X)
    m = X.shape[0]
    L = len(Ws)
    grads = [None] * len(params)
    delta = (2 / m) * (As[L] - y) * As[L] * (1 - As[L])
    for l in range(L, 0, -1):
        grads[2 * (l - 1)] = As[l - 1].T @ delta
        grads[2 * (l - 1) + 1] = delta.sum(axis=0)
        if l > 1:
            delta = (delta @ Ws[l - 1].T) * As[l - 1] * (1 - As[l - 1])
    return grads
