"""Right: matrix form, column vectors (Nielsen's layout).  X (2, m), W_l (fan_out, fan_in), b_l (fan_out, 1)."""

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def forward_pass(params, X):
    Ws, bs = params[0::2], params[1::2]
    As, Zs = [X], [None]
    for W, b in zip(Ws, bs):
        Z = W @ As[-1] + b
        Zs.append(Z)
        As.append(sigmoid(Z))
    return Zs, As


def forward(params, X):
    return forward_pass(params, X)[1][-1]


def gradients(params, X, y):
    Ws = params[0::2]
    Zs, As = forward_pass(params, X)
    m = X.shape[1]
    L = len(Ws)
    grads = [None] * len(params)
    delta = (2 / m) * (As[L] - y) * As[L] * (1 - As[L])  # (1, m)
    for l in range(L, 0, -1):
        grads[2 * (l - 1)] = delta @ As[l - 1].T
        grads[2 * (l - 1) + 1] = delta.sum(axis=1, keepdims=True)
        if l > 1:
            delta = (Ws[l - 1].T @ delta) * As[l - 1] * (1 - As[l - 1])
    return grads
