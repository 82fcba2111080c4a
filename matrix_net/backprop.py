"""Backpropagation a layer at a time, over the whole batch, as matrix products.

Layers are numbered 0 (the inputs) to L (the output), as in scalar_net and the derivations
(backprop_lab.settings).  For a batch of m samples, lists indexed by layer:

    W[l]      (sizes[l-1], sizes[l])   W_l, the weights into layer l (W[0] None)
    b[l]      (sizes[l],)              b_l, its biases (every entry None without biases)
    A[l]      (m, sizes[l])            activations; A[0] = X
    Z[l]      (m, sizes[l])            pre-activations, Z[l] = A[l-1] W[l] + b[l] (Z[0] None)
    Delta[l]  (m, sizes[l])            dL/dZ[l] (Delta[0] None)
    gW[l]     like W[l]                dL/dW_l = A[l-1]^T Delta[l], summed over the batch
    gb[l]     like b[l]                dL/db_l = 1^T Delta[l]

``sizes`` (L+1,) holds the neurons of each layer and ``model`` is the backprop_lab.settings.Model
record (bias, activation, loss), as in scalar_net; ``mode`` (matrix_net.modes) supplies the
matrix product and the elementary functions: BLAS, or exact (bitwise equal to scalar_net);
nothing here depends on which.
Line for line this is scalar_net/backprop.py with the loops over samples and neurons turned
into products, the K-class net's softmax_forward, softmax_backward and softmax_batch_gradient too.
"""

import numpy as np

from backprop_lab.conventions import DECISION_THRESHOLD
from backprop_lab.options import CROSS_ENTROPY, IDENTITY, SIGMOID
from matrix_net.activations import activate, derivative
from matrix_net.losses import output_delta, sample_losses
from matrix_net.products import sum_over_samples
from matrix_net.softmax import cross_entropy, predicted_classes, softmax, softmax_delta


def forward(W, b, sizes, model, X, mode, output=SIGMOID):
    """Return (Z, A) for the batch X (m, sizes[0]); A[L] is Y_hat (m, 1), the output layer's
    activation ``output`` (a sigmoid; softmax_forward's K outputs keep Z, IDENTITY)."""
    L = len(sizes) - 1
    Z, A = [None], [X]
    for l in range(1, L + 1):
        kind = model.activation if l < L else output
        Zl = mode.matmul(A[l - 1], W[l])  # Z = A W ...
        if model.use_bias:
            Zl += b[l]  # ... + b, broadcast over the rows (Zl is the product's own new array)
        Z.append(Zl)
        A.append(activate(kind, Zl, model.slope, mode))  # A = g(Z)
    return Z, A


def backward(W, sizes, model, Y, m, Z, A, mode):
    """Return Delta, the list of dL/dZ[l] for a batch of m, from the output down (Delta[0] None)."""
    L = len(sizes) - 1
    Delta = [None] * (L + 1)
    # Output layer: Delta = dL/dY_hat * sigma'(Z)  (or, for BCE, Y_hat - Y over m).
    Delta[L] = output_delta(model.loss, A[L], Y, m)
    return hidden_deltas(W, sizes, model, Z, A, Delta, mode)


def hidden_deltas(W, sizes, model, Z, A, Delta, mode):
    """Fill Delta[l] of the hidden layers l = L-1 .. 1, given the output layer's Delta[L]; return Delta."""
    L = len(sizes) - 1
    for l in range(L - 1, 0, -1):
        # undoes Z[l+1] = A[l] W[l+1]:  dL/dA[l] = Delta[l+1] W[l+1]^T
        back = mode.matmul(Delta[l + 1], W[l + 1].T)
        # undoes A[l] = g(Z[l]):  Delta[l] = dL/dA[l] * g'(Z[l]), elementwise
        Delta[l] = back * derivative(model.activation, Z[l], A[l], model.slope, mode)
    return Delta


def gradients(sizes, model, A, Delta, mode):
    """Return (gW, gb): dL/dW_l = A[l-1]^T Delta[l] and dL/db_l = the column sums of Delta[l]."""
    L = len(sizes) - 1
    gW, gb = [None] * (L + 1), [None] * (L + 1)
    for l in range(1, L + 1):
        gW[l] = mode.matmul(A[l - 1].T, Delta[l])
        if model.use_bias:
            gb[l] = sum_over_samples(mode.matmul, Delta[l])
    return gW, gb


def batch_gradient(W, b, sizes, model, X, Y, start, stop, mode):
    """(gW, gb) of the loss of samples start..stop-1 (one batch), with (the batch's summed
    per-sample loss, how many of its samples are classified right): (loss_sum, correct, gW, gb)."""
    X, Y = X[start:stop], Y[start:stop]
    m = stop - start
    Z, A = forward(W, b, sizes, model, X, mode)
    Y_hat = A[-1]
    loss_sum = sum_over_samples(mode.matmul, sample_losses(model.loss, Z[-1], Y_hat, Y, mode))[0]
    correct = int(np.count_nonzero((Y_hat > DECISION_THRESHOLD) == (Y > DECISION_THRESHOLD)))
    Delta = backward(W, sizes, model, Y, m, Z, A, mode)
    gW, gb = gradients(sizes, model, A, Delta, mode)
    return loss_sum, correct, gW, gb


def trace_step(W, b, sizes, model, X, Y, mode):
    """batch_gradient (or softmax_batch_gradient) over the whole of (X, Y), keeping every number for the reader:
    (Z, A, Delta, losses (m, 1) each sample's loss term, loss_sum, gW, gb).  The same calls in
    the same order as batch_gradient."""
    m = X.shape[0]
    Z, A = any_forward(W, b, sizes, model, X, mode)
    if model.loss == CROSS_ENTROPY:
        losses = cross_entropy(Z[-1], Y, mode)
        loss_sum = sum_over_samples(mode.matmul, losses)[0]
        Delta = softmax_backward(W, sizes, model, Y, m, Z, A, mode)
    else:
        losses = sample_losses(model.loss, Z[-1], A[-1], Y, mode)
        loss_sum = sum_over_samples(mode.matmul, losses)[0]
        Delta = backward(W, sizes, model, Y, m, Z, A, mode)
    gW, gb = gradients(sizes, model, A, Delta, mode)
    return Z, A, Delta, losses, loss_sum, gW, gb


def softmax_forward(W, b, sizes, model, X, mode):
    """Return (Z, A) for the batch X; A[L] (m, K) is the softmax of the K outputs' Z[L]."""
    Z, A = forward(W, b, sizes, model, X, mode, IDENTITY)
    A[-1] = softmax(Z[-1], mode)
    return Z, A


def softmax_backward(W, sizes, model, Y, m, Z, A, mode):
    """backward for K softmax outputs: Delta[L] = (Y_hat - onehot(Y)) / m, then the hidden layers."""
    L = len(sizes) - 1
    Delta = [None] * (L + 1)
    Delta[L] = softmax_delta(A[L], Y, m)
    return hidden_deltas(W, sizes, model, Z, A, Delta, mode)


def softmax_batch_gradient(W, b, sizes, model, X, Y, start, stop, mode):
    """batch_gradient for K softmax outputs and cross-entropy: the class predicted is the first
    largest y_hat_j.  Returns (loss_sum, correct, gW, gb)."""
    X, Y = X[start:stop], Y[start:stop]
    m = stop - start
    Z, A = softmax_forward(W, b, sizes, model, X, mode)
    loss_sum = sum_over_samples(mode.matmul, cross_entropy(Z[-1], Y, mode))[0]
    correct = int(np.count_nonzero(predicted_classes(A[-1]) == Y))
    Delta = softmax_backward(W, sizes, model, Y, m, Z, A, mode)
    gW, gb = gradients(sizes, model, A, Delta, mode)
    return loss_sum, correct, gW, gb


def any_forward(W, b, sizes, model, X, mode):
    """forward, or softmax_forward for a K-class net (model.loss CROSS_ENTROPY)."""
    if model.loss == CROSS_ENTROPY:
        return softmax_forward(W, b, sizes, model, X, mode)
    return forward(W, b, sizes, model, X, mode)
