"""MISTAKE: σ'(a) for σ'(z), in loops: the hidden deltas use sigmoid(a) (1 - sigmoid(a))."""

import math

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def forward_sample(params, x):
    """Lists z[l][j], a[l][j] for one sample x; a[0] is x."""
    Ws, bs = params[0::2], params[1::2]
    z, a = [None], [list(x)]
    for W, b in zip(Ws, bs):
        z_l = [sum(a[-1][i] * W[i, j] for i in range(W.shape[0])) + b[j] for j in range(W.shape[1])]
        z.append(z_l)
        a.append([sigmoid(v) for v in z_l])
    return z, a


def forward(params, X):
    return np.array([[forward_sample(params, x)[1][-1][0]] for x in X])


def gradients(params, X, y):
    Ws = params[0::2]
    L = len(Ws)
    m = len(X)
    grads = [np.zeros_like(p) for p in params]
    for s in range(m):
        z, a = forward_sample(params, X[s])
        delta = [None] * (L + 1)
        out = a[L][0]
        delta[L] = [(2 / m) * (out - y[s, 0]) * out * (1 - out)]
        for l in range(L - 1, 0, -1):
            W = Ws[l]  # W_{l+1}
            delta[l] = [sigmoid(a[l][i]) * (1 - sigmoid(a[l][i])) * sum(W[i, j] * delta[l + 1][j] for j in range(W.shape[1]))
                        for i in range(W.shape[0])]
        for l in range(1, L + 1):
            gW, gb = grads[2 * (l - 1)], grads[2 * (l - 1) + 1]
            for i in range(len(a[l - 1])):
                for j in range(len(delta[l])):
                    gW[i, j] += a[l - 1][i] * delta[l][j]
            for j in range(len(delta[l])):
                gb[j] += delta[l][j]
    return grads
