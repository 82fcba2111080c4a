"""Backpropagation a layer at a time, over the whole batch, as matrix products.

For a batch of m samples and layers numbered 0 (inputs) to L (output), lists indexed by layer:

    A[l]      (m, sizes[l])            activations; A[0] = X
    Z[l]      (m, sizes[l])            pre-activations, Z[l] = A[l-1] W_l + b_l (Z[0] unused)
    Delta[l]  (m, sizes[l])            dL/dZ[l]
    grads     [dL/dW1, dL/db1, ...]    dL/dW_l = A[l-1]^T Delta[l], (sizes[l-1], sizes[l]);
                                       dL/db_l = 1^T Delta[l], (sizes[l],)

``mode`` (matrix_net.modes) supplies the matrix product and the elementary functions: BLAS, or
exact (bitwise equal to scalar_net); nothing here depends on which.
Line for line this is scalar_net/backprop.py with the loops over samples and neurons turned
into products.
"""

import numpy as np

from backprop_lab.conventions import DECISION_THRESHOLD
from backprop_lab.options import SIGMOID
from matrix_net.activations import activate, derivative
from matrix_net.losses import output_delta, sample_losses
from matrix_net.products import sum_over_samples


def forward(Ws, bs, hidden, slope, X, mode):
    """Return (Z, A) for the batch X (m, 2); A[L] is Y_hat (m, 1)."""
    L = len(Ws)
    Z, A = [None], [X]
    for l in range(1, L + 1):
        kind = hidden if l < L else SIGMOID  # the output layer is always a sigmoid
        Zl = mode.matmul(A[l - 1], Ws[l - 1])  # Z = A W ...
        if bs is not None:
            Zl += bs[l - 1]  # ... + b, broadcast over the rows (Zl is the product's own new array)
        Z.append(Zl)
        A.append(activate(kind, Zl, slope, mode))  # A = g(Z)
    return Z, A


def backward(Ws, hidden, slope, loss_kind, Y, Z, A, mode):
    """Return Delta, the list of dL/dZ[l] for l = 1..L (Delta[0] unused)."""
    L = len(Ws)
    Delta = [None] * (L + 1)
    Delta[L] = output_delta(loss_kind, A[L], Y)
    for l in range(L - 1, 0, -1):
        # undoes Z[l+1] = A[l] W_{l+1}:  dL/dA[l] = Delta[l+1] W_{l+1}^T
        back = mode.matmul(Delta[l + 1], Ws[l].T)
        # undoes A[l] = g(Z[l]):  Delta[l] = dL/dA[l] * g'(Z[l]), elementwise
        Delta[l] = back * derivative(hidden, Z[l], A[l], slope, mode)
    return Delta


def gradients(A, Delta, use_bias, mode):
    """[dL/dW1, dL/db1, ...]: dL/dW_l = A[l-1]^T Delta[l], dL/db_l = column sums of Delta[l]."""
    grads = []
    for l in range(1, len(A)):
        grads.append(mode.matmul(A[l - 1].T, Delta[l]))
        if use_bias:
            grads.append(sum_over_samples(mode.matmul, Delta[l]))
    return grads


def batch_gradient(Ws, bs, hidden, slope, loss_kind, X, Y, mode):
    """(the batch's summed per-sample loss, samples classified right, grads) for one batch."""
    Z, A = forward(Ws, bs, hidden, slope, X, mode)
    Y_hat = A[-1]
    loss_sum = sum_over_samples(mode.matmul, sample_losses(loss_kind, Z[-1], Y_hat, Y, mode))[0]
    correct = int(np.count_nonzero((Y_hat > DECISION_THRESHOLD) == (Y > DECISION_THRESHOLD)))
    Delta = backward(Ws, hidden, slope, loss_kind, Y, Z, A, mode)
    return loss_sum, correct, gradients(A, Delta, bs is not None, mode)
