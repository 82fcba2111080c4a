"""Backpropagation one sample, one neuron, one weight at a time.

Layers are numbered 0 (the two inputs) to L (the output neuron).  The parameters are held in
padded arrays so that compiled code indexes them like the textbook:

    W[l, i, j]  weight from neuron i of layer l to neuron j of layer l+1   (W_{l+1} of the
                parameter list, shape (sizes[l], sizes[l+1]) in its top-left corner)
    b[l, j]     bias of neuron j of layer l+1
    z[l, j]     pre-activation of neuron j of layer l, for the current sample
    a[l, j]     its activation g(z[l, j]); a[0] is the input
    delta[l, j] dL/dz[l, j], the error term of neuron j of layer l, for the current sample
    gW, gb      dL/dW and dL/db for the batch, shaped like W and b

Every sum runs in increasing index order, as backprop_lab.conventions requires.
"""

from backprop_lab.conventions import DECISION_THRESHOLD
from backprop_lab.options import SIGMOID
from scalar_net.activations import activate, derivative
from scalar_net.jit import jit
from scalar_net.losses import output_delta, sample_loss


@jit(inline="always")
def forward(W, b, sizes, use_bias, hidden, slope, x, z, a):
    """Propagate one sample x of shape (2,) up to a[L, 0] = y_hat."""
    L = sizes.shape[0] - 1
    for i in range(sizes[0]):
        a[0, i] = x[i]
    for l in range(1, L + 1):
        kind = hidden if l < L else SIGMOID  # the output neuron is always a sigmoid
        for j in range(sizes[l]):
            total = 0.0
            for i in range(sizes[l - 1]):
                total += a[l - 1, i] * W[l - 1, i, j]  # z_j = sum_i a_i w_ij ...
            if use_bias:
                total += b[l - 1, j]  # ... + b_j
            z[l, j] = total
            a[l, j] = activate(kind, total, slope)  # a_j = g(z_j)


@jit(inline="always")
def backward(W, sizes, hidden, slope, loss_kind, y, m, z, a, delta):
    """Fill delta[l, j] = dL/dz[l, j] for one sample of a batch of m, from the output down."""
    L = sizes.shape[0] - 1
    # Output neuron: delta = dL/dy_hat * sigma'(z)  (or, for BCE, y_hat - y over m).
    delta[L, 0] = output_delta(loss_kind, a[L, 0], y, m)
    for l in range(L - 1, 0, -1):
        for i in range(sizes[l]):
            # undoes z[l+1, j] = sum_i a[l, i] W[l, i, j]: a[l, i] feeds every j above it,
            # so dL/da[l, i] = sum_j W[l, i, j] delta[l+1, j]
            back = 0.0
            for j in range(sizes[l + 1]):
                back += W[l, i, j] * delta[l + 1, j]
            # undoes a[l, i] = g(z[l, i]): delta_i = g'(z_i) * sum_j w_ij delta_j
            delta[l, i] = back * derivative(hidden, z[l, i], a[l, i], slope)


@jit(inline="always")
def accumulate_gradient(sizes, use_bias, a, delta, gW, gb):
    """Add this sample's dL/dw_ij = a_i delta_j and dL/db_j = delta_j to the batch's sums."""
    L = sizes.shape[0] - 1
    for l in range(L):
        for i in range(sizes[l]):
            for j in range(sizes[l + 1]):
                gW[l, i, j] += a[l, i] * delta[l + 1, j]
        if use_bias:
            for j in range(sizes[l + 1]):
                gb[l, j] += delta[l + 1, j]


@jit
def batch_gradient(W, b, sizes, use_bias, hidden, slope, loss_kind, X, Y, start, stop,
                   z, a, delta, gW, gb):
    """gW, gb <- the gradient of the loss of samples start..stop-1 (one batch).

    Returns (the batch's summed per-sample loss, how many of its samples are classified right).
    """
    L = sizes.shape[0] - 1
    m = stop - start
    gW[:] = 0.0
    gb[:] = 0.0
    loss_sum = 0.0
    correct = 0
    for s in range(start, stop):
        forward(W, b, sizes, use_bias, hidden, slope, X[s], z, a)
        y_hat = a[L, 0]
        loss_sum += sample_loss(loss_kind, z[L, 0], y_hat, Y[s, 0])
        if (y_hat > DECISION_THRESHOLD) == (Y[s, 0] > DECISION_THRESHOLD):
            correct += 1
        backward(W, sizes, hidden, slope, loss_kind, Y[s, 0], m, z, a, delta)
        accumulate_gradient(sizes, use_bias, a, delta, gW, gb)
    return loss_sum, correct


@jit
def traced_batch_gradient(W, b, sizes, use_bias, hidden, slope, loss_kind, X, Y, z, a, delta, losses, gW, gb):
    """batch_gradient over the whole of (X, Y), keeping every sample's numbers for the reader.

    z, a, delta: (m, L+1, width), sample s's z[l, j], a[l, j], delta[l, j] in [s];
    losses: (m,), sample s's loss term.  The same calls in the same order as batch_gradient.
    """
    L = sizes.shape[0] - 1
    m = X.shape[0]
    gW[:] = 0.0
    gb[:] = 0.0
    loss_sum = 0.0
    for s in range(m):
        forward(W, b, sizes, use_bias, hidden, slope, X[s], z[s], a[s])
        losses[s] = sample_loss(loss_kind, z[s, L, 0], a[s, L, 0], Y[s, 0])
        loss_sum += losses[s]
        backward(W, sizes, hidden, slope, loss_kind, Y[s, 0], m, z[s], a[s], delta[s])
        accumulate_gradient(sizes, use_bias, a[s], delta[s], gW, gb)
    return loss_sum
