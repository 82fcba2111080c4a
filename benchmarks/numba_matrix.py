"""Control: matrix_net's algorithm compiled by numba, the whole loop in one compiled function.

The same layer-at-a-time equations as matrix_net/backprop.py (for the benchmarks'
configurations only: sigmoid layers, SGD, biases, and one sigmoid output with MSE or K >= 3
softmax outputs with cross-entropy), with the whole training loop compiled:

    Z = A W + b,  A' = sigmoid(Z)                       forward, per layer
    Delta_L = (2/m)(Y_hat - Y) * Y_hat (1 - Y_hat)       output layer, one sigmoid output
    A_L = softmax(Z_L),  Delta_L = (A_L - onehot(Y))/m   output layer, K softmax outputs
    dW = A^T Delta,  db = column sums of Delta          gradients, per layer
    Delta_below = (Delta W^T) * A (1 - A)               back one layer, with W before its update

Set against matrix_net, it shows how much of the matrix form's time at small sizes is the
Python interpreter and NumPy's per-call cost rather than arithmetic.  It agrees with the trainers
to rounding, not bitwise.  ``cache=True`` needs this to be a real file, not an exec'd string.

Its products are loops compiled by numba (``matmul`` below), not ``@``: numba implements ``@``
by calling BLAS through SciPy, which would make SciPy a requirement of the benchmarks (and,
once installed, numba loads it whenever it loads its cache, slowing every trainer's start).
"""

import numpy as np
from numba import njit

from backprop_lab.network import weights_and_biases


@njit(cache=True)
def matmul(A, B):
    """A @ B for (m, K) and (K, n), row by row (the inner loop runs along B's rows: vectorised)."""
    C = np.zeros((A.shape[0], B.shape[1]))
    for r in range(A.shape[0]):
        for k in range(A.shape[1]):
            a = A[r, k]
            for c in range(B.shape[1]):
                C[r, c] += a * B[k, c]
    return C


@njit(cache=True)
def sigmoid(Z):
    """e^min(z,0) / (1 + e^-|z|) elementwise, no exp overflowing: matrix_net.activations.sigmoid."""
    return np.exp(np.minimum(Z, 0.0)) / (1.0 + np.exp(-np.abs(Z)))


@njit(cache=True)
def softmax_rows(Z, Y):
    """(A, loss_sum): A (m, K) the softmax of each row of Z (m, K), the row's max subtracted before
    the exp, and the sum over rows of the cross-entropy -log A[s, y_s] = log(sum) - (z_y - max)."""
    m, K = Z.shape
    A = np.empty_like(Z)
    loss_sum = 0.0
    for s in range(m):
        top = Z[s].max()
        total = 0.0
        for j in range(K):
            A[s, j] = np.exp(Z[s, j] - top)
            total += A[s, j]
        for j in range(K):
            A[s, j] /= total
        loss_sum += np.log(total) - (Z[s, int(Y[s, 0])] - top)
    return A, loss_sum


@njit(cache=True)
def softmax_delta(A, Y, m):
    """(m, K): dL/dZ of the softmax outputs, (A - onehot(Y)) / m."""
    Delta = A.copy()
    for s in range(A.shape[0]):
        Delta[s, int(Y[s, 0])] -= 1.0
    return Delta / m


@njit(cache=True)
def train_loop(Ws, bs, X, Y, lr, epochs, batch_size):
    """Train the tuples of arrays Ws, bs in place; return the last epoch's loss."""
    n = X.shape[0]
    L = len(Ws)
    classes = Ws[L - 1].shape[1] > 1  # K >= 3 softmax outputs, not one sigmoid
    epoch_loss = 0.0
    for _ in range(epochs):
        epoch_loss = 0.0
        for start in range(0, n, batch_size):
            stop = min(start + batch_size, n)
            m = stop - start
            Y_b = Y[start:stop]
            A = [np.ascontiguousarray(X[start:stop])]  # A[l], l = 0..L
            for l in range(L - 1):
                A.append(sigmoid(matmul(A[l], Ws[l]) + bs[l]))  # A[l+1] = g(A[l] W + b)
            Z = matmul(A[L - 1], Ws[L - 1]) + bs[L - 1]
            if classes:
                Y_hat, loss_sum = softmax_rows(Z, Y_b)
                A.append(Y_hat)
                epoch_loss += loss_sum
                Delta = softmax_delta(Y_hat, Y_b, m)  # dL/dZ of the output layer
            else:
                A.append(sigmoid(Z))
                E = A[L] - Y_b
                epoch_loss += np.sum(E * E)
                Delta = (2.0 / m) * E * (A[L] * (1.0 - A[L]))  # dL/dZ of the output layer
            for l in range(L - 1, -1, -1):
                grad_W = matmul(A[l].T, Delta)
                grad_b = Delta.sum(axis=0)
                if l > 0:
                    Delta = matmul(Delta, Ws[l].T) * (A[l] * (1.0 - A[l]))  # uses W before its step
                W = Ws[l]
                b = bs[l]
                W -= lr * grad_W
                b -= lr * grad_b
    return epoch_loss / n


def train(params, X, Y, *, lr, epochs, batch_size=None):
    """Train copies of ``params`` (with biases); return the last epoch's loss."""
    Ws, bs = weights_and_biases(params)
    if bs is None:
        raise ValueError("numba_matrix trains the network with biases")
    Ws = tuple(np.ascontiguousarray(W, dtype=np.float64).copy() for W in Ws)
    bs = tuple(np.array(b, dtype=np.float64) for b in bs)
    X = np.ascontiguousarray(X, dtype=np.float64)
    Y = np.ascontiguousarray(Y, dtype=np.float64)
    batch_size = X.shape[0] if batch_size is None else int(batch_size)
    return train_loop(Ws, bs, X, Y, float(lr), int(epochs), batch_size)
