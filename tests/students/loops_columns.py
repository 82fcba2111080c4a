"""Right: element-wise loops, column vectors: X (2, m), W_l[j, k] from neuron k below to neuron j above."""

import math

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def gradients(params, X, y):
    Ws, bs = params[0::2], params[1::2]
    L = len(Ws)
    m = X.shape[1]
    grads = [np.zeros_like(p) for p in params]
    for s in range(m):
        a = [list(X[:, s])]
        for W, b in zip(Ws, bs):
            a.append([sigmoid(sum(W[j, k] * a[-1][k] for k in range(W.shape[1])) + b[j, 0])
                      for j in range(W.shape[0])])
        delta = [None] * (L + 1)
        out = a[L][0]
        delta[L] = [(2 / m) * (out - y[0, s]) * out * (1 - out)]
        for l in range(L - 1, 0, -1):
            W = Ws[l]
            delta[l] = [a[l][k] * (1 - a[l][k]) * sum(W[j, k] * delta[l + 1][j] for j in range(W.shape[0]))
                        for k in range(W.shape[1])]
        for l in range(1, L + 1):
            gW, gb = grads[2 * (l - 1)], grads[2 * (l - 1) + 1]
            for j in range(len(delta[l])):
                for k in range(len(a[l - 1])):
                    gW[j, k] += delta[l][j] * a[l - 1][k]
                gb[j, 0] += delta[l][j]
    return grads
