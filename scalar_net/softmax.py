"""The K >= 3 softmax outputs of a K-class net, one unit at a time: the outputs, the loss of one
sample (cross-entropy), its output error and its predicted class; definitions in
backprop_lab.conventions.  The same formulas, operation for operation, are in
``matrix_net/softmax.py``.

z[L, j], a[L, j], delta[L, j] (j < K) are the output layer's entries of scalar_net.backprop's
padded arrays; y is the sample's class, a whole number 0..K-1 held as a float (labels Y[s, 0]).
"""

import math

from scalar_net.jit import jit


@jit(inline="always")
def largest(z, L, K):
    """max_j z[L, j]: subtracted before every exp, so that no exp overflows (e^(z_j - max) <= 1)."""
    top = z[L, 0]
    for j in range(1, K):
        if z[L, j] > top:
            top = z[L, j]
    return top


@jit(inline="always")
def softmax(z, a, L, K):
    """a[L, j] = e^(z_j - max) / sum_k e^(z_k - max), the sum over k = 0..K-1 in index order."""
    top = largest(z, L, K)
    total = 0.0
    for j in range(K):
        e = math.exp(z[L, j] - top)
        a[L, j] = e
        total += e
    for j in range(K):
        a[L, j] = a[L, j] / total


@jit(inline="always")
def cross_entropy(z, L, K, y):
    """This sample's term of the loss sum (before the 1/m): -log y_hat_y = log sum_k e^(z_k - max)
    - (z_y - max), from the pre-activations, finite where y_hat_y would round to 0.

    The log of the sum is taken as log1p(sum - 1): the sum is at least 1 (its largest term is
    e^0), so sum - 1 is exact, and log1p is one of the three C functions exact mode shares.
    """
    top = largest(z, L, K)
    total = 0.0
    for j in range(K):
        total += math.exp(z[L, j] - top)
    return math.log1p(total - 1.0) - (z[L, int(y)] - top)


@jit(inline="always")
def softmax_delta(a, delta, L, K, y, m):
    """delta[L, j] = dL/dz_j = (1/m)(y_hat_j - [j == y]) for one sample of a batch of m: softmax's
    Jacobian cancels cross-entropy's 1/y_hat_y (derivations/)."""
    c = int(y)
    for j in range(K):
        delta[L, j] = (1.0 / m) * (a[L, j] - (1.0 if j == c else 0.0))


@jit(inline="always")
def predicted_class(a, L, K):
    """argmax_j a[L, j], the first of equal largest in index order, as a float like the labels."""
    best = 0
    for j in range(1, K):
        if a[L, j] > a[L, best]:
            best = j
    return float(best)
