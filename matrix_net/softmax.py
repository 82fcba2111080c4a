"""The K >= 3 softmax outputs of a K-class net, for a whole batch: the outputs, each sample's
loss (cross-entropy), the output error and the predicted classes; definitions in
backprop_lab.conventions.  The same formulas, operation for operation, as
``scalar_net/softmax.py``.

Z, A: (m, K) the output layer's pre-activations and softmax outputs; Y: (m, 1) the classes
0..K-1, whole numbers held as floats; ``mode`` (matrix_net.modes) supplies exp, log1p and the
ordered sums.
"""

import numpy as np

from matrix_net.products import sum_over_units


def softmax(Z, mode):
    """(m, K): e^(z_j - max) / sum_k e^(z_k - max) row by row, each row's sum in index order."""
    E = mode.exp(Z - Z.max(axis=1, keepdims=True))  # the max: no exp overflows
    return E / sum_over_units(mode.matmul, E)


def cross_entropy(Z, Y, mode):
    """(m, 1): each sample's term of the loss sum, -log y_hat_y = log sum_k e^(z_k - max) - (z_y - max),
    the log of the sum as log1p(sum - 1) (exact: the sum is at least 1), as in scalar_net."""
    top = Z.max(axis=1, keepdims=True)
    total = sum_over_units(mode.matmul, mode.exp(Z - top))
    return mode.log1p(total - 1.0) - (np.take_along_axis(Z, Y.astype(np.int64), axis=1) - top)


def one_hot(Y, K):
    """(m, K): 1.0 in column y of each row, 0.0 elsewhere."""
    return (np.arange(K) == Y).astype(np.float64)


def softmax_delta(A, Y, m):
    """(m, K): dL/dZ = (1/m)(Y_hat - onehot(Y)), softmax's Jacobian cancelling cross-entropy's 1/y_hat_y."""
    return (1.0 / m) * (A - one_hot(Y, A.shape[1]))


def predicted_classes(A):
    """(m, 1): argmax of each row, the first of equal largest, as floats like the labels."""
    return np.argmax(A, axis=1).astype(np.float64).reshape(-1, 1)
