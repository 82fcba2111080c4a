"""Backpropagation one sample, one neuron, one weight at a time.

Layers are numbered 0 (the n inputs) to L (the output: one sigmoid neuron, or K >= 3 softmax units); W_l and b_l are the parameters
of layer l, as in the derivations (backprop_lab.settings).  They are held in padded arrays, so
that compiled code indexes them like the textbook:

    W[l, i, j]   (L+1, width, width)  weight from neuron i of layer l-1 to neuron j of layer l
                                      (W_l of the parameter list, shape (sizes[l-1], sizes[l]),
                                      in its top-left corner; W[0] unused)
    b[l, j]      (L+1, width)         bias of neuron j of layer l (b[0] unused)
    z[l, j]      (L+1, width)         pre-activation of neuron j of layer l, for the current sample
    a[l, j]      (L+1, width)         its activation g(z[l, j]); a[0] is the input
    delta[l, j]  (L+1, width)         dL/dz[l, j], the error term of neuron j of layer l, for the
                                      current sample
    gW, gb       like W and b         dL/dW and dL/db, summed over the batch

``sizes`` (L+1,) holds the neurons of each layer; ``model`` is the backprop_lab.settings.Model
record (bias, activation, loss).
Every sum runs in increasing index order, as backprop_lab.conventions requires.

The K-class net (K >= 3 softmax outputs, cross-entropy) has its own softmax_forward,
softmax_backward and softmax_batch_gradient, built from the same layers: the one-output functions
stay as they were, since a branch on the output in them made the lab's per-sample training
slower (the training loop compiles each into its own copy; scalar_net.training).
"""

from backprop_lab.conventions import DECISION_THRESHOLD
from backprop_lab.options import CROSS_ENTROPY, IDENTITY, SIGMOID
from scalar_net.activations import activate, derivative
from scalar_net.jit import jit
from scalar_net.losses import output_delta, sample_loss
from scalar_net.softmax import cross_entropy, predicted_class, softmax, softmax_delta


@jit(inline="always")
def forward(W, b, sizes, model, x, z, a, output=SIGMOID):
    """Propagate one sample x of shape (sizes[0],) up to a[L, 0] = y_hat, the output neuron's
    activation ``output`` (a sigmoid; softmax_forward's K outputs keep z, IDENTITY)."""
    L = sizes.shape[0] - 1
    for i in range(sizes[0]):
        a[0, i] = x[i]
    for l in range(1, L + 1):
        kind = model.activation if l < L else output
        for j in range(sizes[l]):
            total = 0.0
            for i in range(sizes[l - 1]):
                total += a[l - 1, i] * W[l, i, j]  # z_j = sum_i a_i w_ij ...
            if model.use_bias:
                total += b[l, j]  # ... + b_j
            z[l, j] = total
            a[l, j] = activate(kind, total, model.slope)  # a_j = g(z_j)


@jit(inline="always")
def backward(W, sizes, model, y, m, z, a, delta):
    """Fill delta[l, j] = dL/dz[l, j] for one sample of a batch of m, from the output down."""
    L = sizes.shape[0] - 1
    # Output neuron: delta = dL/dy_hat * sigma'(z)  (or, for BCE, y_hat - y over m).
    delta[L, 0] = output_delta(model.loss, a[L, 0], y, m)
    hidden_deltas(W, sizes, model, z, a, delta)


@jit(inline="always")
def hidden_deltas(W, sizes, model, z, a, delta):
    """Fill delta[l, j] of the hidden layers l = L-1 .. 1, given the output layer's delta[L]."""
    L = sizes.shape[0] - 1
    for l in range(L - 1, 0, -1):
        for i in range(sizes[l]):
            # undoes z[l+1, j] = sum_i a[l, i] W[l+1, i, j]: a[l, i] feeds every j above it,
            # so dL/da[l, i] = sum_j W[l+1, i, j] delta[l+1, j]
            back = 0.0
            for j in range(sizes[l + 1]):
                back += W[l + 1, i, j] * delta[l + 1, j]
            # undoes a[l, i] = g(z[l, i]): delta_i = g'(z_i) * sum_j w_ij delta_j
            delta[l, i] = back * derivative(model.activation, z[l, i], a[l, i], model.slope)


@jit(inline="always")
def gradients(sizes, model, a, delta, gW, gb):
    """Add this sample's dL/dw_ij = a_i delta_j and dL/db_j = delta_j to the batch's sums gW, gb."""
    L = sizes.shape[0] - 1
    for l in range(1, L + 1):
        for i in range(sizes[l - 1]):
            for j in range(sizes[l]):
                gW[l, i, j] += a[l - 1, i] * delta[l, j]
        if model.use_bias:
            for j in range(sizes[l]):
                gb[l, j] += delta[l, j]


@jit(inline="always")
def batch_gradient(W, b, sizes, model, X, Y, start, stop, z, a, delta, gW, gb):
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
        forward(W, b, sizes, model, X[s], z, a)
        y_hat = a[L, 0]
        loss_sum += sample_loss(model.loss, z[L, 0], y_hat, Y[s, 0])
        if (y_hat > DECISION_THRESHOLD) == (Y[s, 0] > DECISION_THRESHOLD):
            correct += 1
        backward(W, sizes, model, Y[s, 0], m, z, a, delta)
        gradients(sizes, model, a, delta, gW, gb)
    return loss_sum, correct


@jit
def trace_step(W, b, sizes, model, X, Y, z, a, delta, losses, gW, gb):
    """batch_gradient (or softmax_batch_gradient) over the whole of (X, Y), keeping every
    sample's numbers for the reader.

    z, a, delta: (m, L+1, width), sample s's z[l, j], a[l, j], delta[l, j] in [s];
    losses: (m,), sample s's loss term.  The same calls in the same order as batch_gradient.
    Returns the batch's summed per-sample loss.
    """
    L = sizes.shape[0] - 1
    m = X.shape[0]
    gW[:] = 0.0
    gb[:] = 0.0
    loss_sum = 0.0
    for s in range(m):
        any_forward(W, b, sizes, model, X[s], z[s], a[s])
        if model.loss == CROSS_ENTROPY:
            losses[s] = cross_entropy(z[s], L, sizes[L], Y[s, 0])
            loss_sum += losses[s]
            softmax_backward(W, sizes, model, Y[s, 0], m, z[s], a[s], delta[s])
        else:
            losses[s] = sample_loss(model.loss, z[s, L, 0], a[s, L, 0], Y[s, 0])
            loss_sum += losses[s]
            backward(W, sizes, model, Y[s, 0], m, z[s], a[s], delta[s])
        gradients(sizes, model, a[s], delta[s], gW, gb)
    return loss_sum


@jit(inline="always")
def softmax_forward(W, b, sizes, model, x, z, a):
    """Propagate one sample x up to a[L, j] = y_hat_j, the softmax of the K outputs' z[L, j]."""
    L = sizes.shape[0] - 1
    forward(W, b, sizes, model, x, z, a, IDENTITY)
    softmax(z, a, L, sizes[L])


@jit(inline="always")
def softmax_backward(W, sizes, model, y, m, z, a, delta):
    """backward for K softmax outputs: delta[L, j] = (y_hat_j - [j == y]) / m, then the hidden layers."""
    L = sizes.shape[0] - 1
    softmax_delta(a, delta, L, sizes[L], y, m)
    hidden_deltas(W, sizes, model, z, a, delta)


@jit(inline="always")
def softmax_batch_gradient(W, b, sizes, model, X, Y, start, stop, z, a, delta, gW, gb):
    """batch_gradient for K softmax outputs and cross-entropy: the class predicted is the
    first largest y_hat_j.  Returns (the batch's summed per-sample loss, how many are right)."""
    L = sizes.shape[0] - 1
    m = stop - start
    gW[:] = 0.0
    gb[:] = 0.0
    loss_sum = 0.0
    correct = 0
    for s in range(start, stop):
        softmax_forward(W, b, sizes, model, X[s], z, a)
        loss_sum += cross_entropy(z, L, sizes[L], Y[s, 0])
        if predicted_class(a, L, sizes[L]) == Y[s, 0]:
            correct += 1
        softmax_backward(W, sizes, model, Y[s, 0], m, z, a, delta)
        gradients(sizes, model, a, delta, gW, gb)
    return loss_sum, correct


@jit(inline="always")
def any_forward(W, b, sizes, model, x, z, a):
    """forward, or softmax_forward for a K-class net (model.loss CROSS_ENTROPY): chosen at run
    time, for predict and trace, which the training loop does not use."""
    if model.loss == CROSS_ENTROPY:
        softmax_forward(W, b, sizes, model, x, z, a)
    else:
        forward(W, b, sizes, model, x, z, a)
