"""The element-wise trainer: the whole training loop compiled by numba.

Public functions take and return the parameter list of backprop_lab.conventions; inside, the
parameters live in the padded arrays described in scalar_net.backprop, indexed by layer.
"""

import math

import numpy as np

from backprop_lab.network import OptimizerState, StepTrace, TrainResult, check_arguments, weights_and_biases
from backprop_lab.options import (CROSS_ENTROPY, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_LEAKY_SLOPE, DEFAULT_MOMENTUM, MSE,
                                  SGD, SIGMOID)
from backprop_lab.settings import Model, Moments, Schedule, model_of, schedule_of, sizes_array
from scalar_net import backprop
from scalar_net.jit import jit
from scalar_net.optimizers import step, with_weight_decay


@jit
def train_loop(W, b, sizes, model, X, Y, schedule, moments, losses, accuracies, norms):
    """Train W, b in place with the loop below; see there.

    Plain gradient descent, the lab's default, gets a copy of the loop compiled with the optimizer
    as a constant, so the compiler removes the branches that select the others from the update
    of every parameter.  A K-class net (cross-entropy) trains in softmax_train_loop instead.
    """
    if schedule.optimizer == SGD:
        gradient_descent = Schedule(schedule.lr, schedule.epochs, schedule.batch_size, SGD, schedule.momentum,
                                    schedule.beta1, schedule.beta2, schedule.eps, schedule.weight_decay,
                                    schedule.stop_at_accuracy)
        return _train_loop(W, b, sizes, model, X, Y, gradient_descent, moments, losses, accuracies, norms,
                           compiled_batch_gradient)
    return _train_loop(W, b, sizes, model, X, Y, schedule, moments, losses, accuracies, norms,
                       compiled_batch_gradient)


@jit
def softmax_train_loop(W, b, sizes, model, X, Y, schedule, moments, losses, accuracies, norms):
    """train_loop for a K-class net: the loop below with softmax_batch_gradient.  A loop of its
    own, because one more copy of the loop or of the batch's gradient inside train_loop made the
    lab's per-sample training 20% slower (its every step calls the batch's gradient)."""
    return _train_loop(W, b, sizes, model, X, Y, schedule, moments, losses, accuracies, norms,
                       compiled_softmax_gradient)


@jit
def compiled_batch_gradient(W, b, sizes, model, X, Y, start, stop, z, a, delta, gW, gb):
    """backprop.batch_gradient, compiled twice: once with the lab's sigmoid and MSE as constants,
    so that the compiler removes the branches on the activation and the loss from every neuron
    of every sample (they cost the lab's runs 5-10%), and once for any options."""
    if model.activation == SIGMOID and model.loss == MSE:
        lab = Model(model.use_bias, SIGMOID, model.slope, MSE)
        return backprop.batch_gradient(W, b, sizes, lab, X, Y, start, stop, z, a, delta, gW, gb)
    return backprop.batch_gradient(W, b, sizes, model, X, Y, start, stop, z, a, delta, gW, gb)


@jit
def compiled_softmax_gradient(W, b, sizes, model, X, Y, start, stop, z, a, delta, gW, gb):
    """backprop.softmax_batch_gradient, compiled on its own as compiled_batch_gradient is."""
    return backprop.softmax_batch_gradient(W, b, sizes, model, X, Y, start, stop, z, a, delta, gW, gb)


@jit(inline="always")
def _train_loop(W, b, sizes, model, X, Y, schedule, moments, losses, accuracies, norms, batch_gradient):
    """Train W, b in place; fill losses[e], accuracies[e] and norms[e, l-1], the gradient norm of W_l
    (backprop_lab.conventions: the sum of squares of each step's dL/dW_l, summed over the steps).  Return (epochs run, diverged): the run
    stops after the first epoch whose loss or parameters are not finite (that epoch is the last
    one run), or whose accuracy reaches schedule.stop_at_accuracy (math.inf for never).

    moments: backprop_lab.settings.Moments, shaped like W and b, updated in place;
    batch_gradient: compiled_batch_gradient, or compiled_softmax_gradient for a K-class net.
    """
    n = X.shape[0]
    L = sizes.shape[0] - 1
    width = W.shape[1]
    z = np.zeros((L + 1, width))
    a = np.zeros((L + 1, width))
    delta = np.zeros((L + 1, width))
    gW = np.zeros_like(W)
    gb = np.zeros_like(b)
    first_W, second_W, first_b, second_b = moments.first_W, moments.second_W, moments.first_b, moments.second_b
    power1 = moments.powers[0]
    power2 = moments.powers[1]
    squares = np.zeros(L + 1)  # squares[l]: sum over the epoch's steps of the step's sum of dL/dW_l^2
    steps = (n + schedule.batch_size - 1) // schedule.batch_size
    for epoch in range(schedule.epochs):
        epoch_loss = 0.0
        correct = 0
        squares[:] = 0.0
        for start in range(0, n, schedule.batch_size):
            stop = min(start + schedule.batch_size, n)
            batch_loss, batch_correct = batch_gradient(W, b, sizes, model, X, Y, start, stop, z, a, delta, gW, gb)
            epoch_loss += batch_loss
            correct += batch_correct
            power1 *= schedule.beta1
            power2 *= schedule.beta2
            bias1 = 1.0 - power1
            bias2 = 1.0 - power2
            for l in range(1, L + 1):  # parameter order: W1, b1, W2, b2, ...
                square = 0.0
                for i in range(sizes[l - 1]):
                    for j in range(sizes[l]):
                        square += gW[l, i, j] * gW[l, i, j]  # the data term's gradient, before the decay
                        g = with_weight_decay(gW[l, i, j], W[l, i, j], schedule.weight_decay)
                        W[l, i, j], first_W[l, i, j], second_W[l, i, j] = step(
                            schedule, W[l, i, j], g, first_W[l, i, j], second_W[l, i, j], bias1, bias2)
                squares[l] += square
                if model.use_bias:
                    for j in range(sizes[l]):
                        b[l, j], first_b[l, j], second_b[l, j] = step(
                            schedule, b[l, j], gb[l, j], first_b[l, j], second_b[l, j], bias1, bias2)
        moments.powers[0] = power1
        moments.powers[1] = power2
        losses[epoch] = epoch_loss / n
        accuracies[epoch] = correct / n
        for l in range(1, L + 1):
            norms[epoch, l - 1] = math.sqrt(squares[l] / steps)
        if not math.isfinite(losses[epoch]) or not all_finite(W, b, sizes, model):
            return epoch + 1, True
        if accuracies[epoch] >= schedule.stop_at_accuracy:
            return epoch + 1, False
    return schedule.epochs, False


@jit(inline="always")
def all_finite(W, b, sizes, model):
    """Whether every parameter is a finite number.

    Checked once per epoch after the loss, as in matrix_net: a loss can stay finite while the
    weights are NaN (ReLU maps a NaN input to 0), and such a run has diverged all the same.
    """
    for l in range(1, sizes.shape[0]):
        for i in range(sizes[l - 1]):
            for j in range(sizes[l]):
                if not math.isfinite(W[l, i, j]):
                    return False
        if model.use_bias:
            for j in range(sizes[l]):
                if not math.isfinite(b[l, j]):
                    return False
    return True


@jit
def predict_loop(W, b, sizes, model, X, y_hat):
    """Fill y_hat[s, j] with output j for sample X[s] (y_hat: (n, sizes[L])), one forward pass per
    sample."""
    L = sizes.shape[0] - 1
    width = W.shape[1]
    z = np.zeros((L + 1, width))
    a = np.zeros((L + 1, width))
    for s in range(X.shape[0]):
        backprop.any_forward(W, b, sizes, model, X[s], z, a)
        for j in range(sizes[L]):
            y_hat[s, j] = a[L, j]


@jit
def activations_loop(W, b, sizes, model, X, a):
    """Fill a[s, l, j] with a[l, j] of sample X[s]: every layer's activations, one forward pass
    per sample (a: (n, L+1, width))."""
    L = sizes.shape[0] - 1
    z = np.zeros((L + 1, W.shape[1]))
    for s in range(X.shape[0]):
        backprop.any_forward(W, b, sizes, model, X[s], z, a[s])


def pack(params, sizes):
    """Parameter list -> (W, b), the padded arrays of scalar_net.backprop, indexed by layer."""
    Ws, bs = weights_and_biases(params)
    layers, width = len(Ws) + 1, int(sizes.max())
    W = np.zeros((layers, width, width))
    b = np.zeros((layers, width))
    for l, Wl in enumerate(Ws, start=1):
        W[l, : Wl.shape[0], : Wl.shape[1]] = Wl
        if bs is not None:
            b[l, : bs[l - 1].shape[0]] = bs[l - 1]
    return W, b


def unpack(W, b, sizes, model):
    """Padded (W, b) -> the parameter list [W1, b1, W2, ...]."""
    params = []
    for l in range(1, len(sizes)):
        params.append(W[l, : sizes[l - 1], : sizes[l]].copy())
        if model.use_bias:
            params.append(b[l, : sizes[l]].copy())
    return params


def memory_bytes(sizes):
    """Bytes this trainer's own arrays take for layer ``sizes``, at most: W, its gradient and the
    optimizer's two moments, each padded to L+1 squares of the widest layer (slot 0 unused, so
    that W[l] is W_l), and six parameter lists of the true sizes (the state it starts from, and
    the parameters and both moments it returns)."""
    slots, width = len(sizes), max(sizes)
    weights = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
    return 8 * (4 * slots * (width * width + width) + 6 * weights)


def _float_data(X, Y):
    return np.ascontiguousarray(X, dtype=np.float64), np.ascontiguousarray(Y, dtype=np.float64)


def train(params, X, Y, *, lr, epochs, batch_size=None, activation="sigmoid", loss=None,
          optimizer="sgd", momentum=DEFAULT_MOMENTUM, momentum_form="classic", beta1=DEFAULT_BETA1,
          beta2=DEFAULT_BETA2, leaky_slope=DEFAULT_LEAKY_SLOPE, weight_decay=0.0, stop_at_accuracy=None, state=None):
    """Train a copy of ``params`` on (X, Y), continuing from optimizer ``state`` if given.

    ``weight_decay``: L2 on the weights; ``stop_at_accuracy``: stop after the first epoch whose
    accuracy reaches it (None: run every epoch).  See backprop_lab.conventions.
    ``momentum_form``: with optimizer="momentum", "classic" (v <- momentum v + g) or "average"
    (v <- momentum v + (1 - momentum) g).  ``loss``: None takes the net's default,
    backprop_lab.options.default_loss (MSE for one output, cross-entropy for K outputs).

    Returns backprop_lab.network.TrainResult.
    """
    params, X, Y, state, batch_size = check_arguments(
        params, X, Y, state=state, leaky_slope=leaky_slope, activation=activation, loss=loss, optimizer=optimizer,
        momentum_form=momentum_form, training=dict(lr=lr, epochs=epochs, batch_size=batch_size, momentum=momentum,
        beta1=beta1, beta2=beta2, weight_decay=weight_decay, stop_at_accuracy=stop_at_accuracy))
    sizes, model = sizes_array(params), model_of(params, activation, loss, leaky_slope)
    schedule = schedule_of(lr=lr, epochs=epochs, batch_size=batch_size, optimizer=optimizer, momentum=momentum,
                           momentum_form=momentum_form, beta1=beta1, beta2=beta2, weight_decay=weight_decay,
                           stop_at_accuracy=stop_at_accuracy)
    X, Y = _float_data(X, Y)
    W, b = pack(params, sizes)
    state = state or OptimizerState.zeros_like(params)
    first_W, first_b = pack(state.first, sizes)
    second_W, second_b = pack(state.second, sizes)
    moments = Moments(first_W, second_W, first_b, second_b, np.array([state.power1, state.power2]))
    losses = np.zeros(epochs)
    accuracies = np.zeros(epochs)
    norms = np.zeros((epochs, len(sizes) - 1))
    loop = softmax_train_loop if model.loss == CROSS_ENTROPY else train_loop
    run, diverged = loop(W, b, sizes, model, X, Y, schedule, moments, losses, accuracies, norms)
    state = OptimizerState(unpack(moments.first_W, moments.first_b, sizes, model),
                           unpack(moments.second_W, moments.second_b, sizes, model),
                           float(moments.powers[0]), float(moments.powers[1]))
    return TrainResult(unpack(W, b, sizes, model), losses[:run], accuracies[:run], run, run if diverged else None, state,
                       norms[:run])


def batch_gradient(params, X, Y, *, activation="sigmoid", loss=None, leaky_slope=DEFAULT_LEAKY_SLOPE):
    """(L, [dL/dW1, dL/db1, ...]) for the whole of (X, Y) taken as one batch."""
    params, X, Y, _, _ = check_arguments(params, X, Y, leaky_slope=leaky_slope, activation=activation, loss=loss)
    sizes, model = sizes_array(params), model_of(params, activation, loss, leaky_slope)
    X, Y = _float_data(X, Y)
    W, b = pack(params, sizes)
    layers, width = W.shape[0], W.shape[1]
    z, a, delta = (np.zeros((layers, width)) for _ in range(3))
    gW, gb = np.zeros_like(W), np.zeros_like(b)
    gradient = compiled_softmax_gradient if model.loss == CROSS_ENTROPY else compiled_batch_gradient
    loss_sum, _ = gradient(W, b, sizes, model, X, Y, 0, X.shape[0], z, a, delta, gW, gb)
    return loss_sum / X.shape[0], unpack(gW, gb, sizes, model)


def trace_step(params, X, Y, *, activation="sigmoid", loss=None, leaky_slope=DEFAULT_LEAKY_SLOPE):
    """Every number of one step's forward and backward pass over the batch (X, Y), sample by
    sample: backprop_lab.network.StepTrace, its padded arrays cut to each layer's neurons."""
    params, X, Y, _, _ = check_arguments(params, X, Y, leaky_slope=leaky_slope, activation=activation, loss=loss)
    sizes, model = sizes_array(params), model_of(params, activation, loss, leaky_slope)
    X, Y = _float_data(X, Y)
    W, b = pack(params, sizes)
    m, layers, width = X.shape[0], W.shape[0], W.shape[1]
    z, a, delta = (np.zeros((m, layers, width)) for _ in range(3))
    losses, gW, gb = np.zeros(m), np.zeros_like(W), np.zeros_like(b)
    loss_sum = backprop.trace_step(W, b, sizes, model, X, Y, z, a, delta, losses, gW, gb)
    return StepTrace(_by_layer(z, sizes, None), _by_layer(a, sizes, X.copy()), _by_layer(delta, sizes, None),
                     losses, loss_sum / m, unpack(gW, gb, sizes, model))


def _by_layer(arrays, sizes, first):
    """Padded per-sample arrays (m, L+1, width) -> [first, (m, sizes[1]), ..., (m, sizes[L])]."""
    return [first] + [arrays[:, l, : sizes[l]].copy() for l in range(1, len(sizes))]


def predict(params, X, *, activation="sigmoid", leaky_slope=DEFAULT_LEAKY_SLOPE):
    """y_hat of shape (n, 1), P(class 1), for one output; (n, K), the softmax probabilities, for
    K outputs.  One forward pass per sample (compiled: a 200 x 200 grid takes milliseconds, where
    a Python loop over the samples took most of a second)."""
    params, X, _, _, _ = check_arguments(params, X, leaky_slope=leaky_slope, activation=activation)
    sizes, model = sizes_array(params), model_of(params, activation, None, leaky_slope)
    X = np.ascontiguousarray(X, dtype=np.float64)
    W, b = pack(params, sizes)
    y_hat = np.empty((X.shape[0], sizes[-1]))
    predict_loop(W, b, sizes, model, X, y_hat)
    return y_hat


def all_activations(params, X, *, activation="sigmoid", leaky_slope=DEFAULT_LEAKY_SLOPE):
    """Every layer's activations for the batch X: [A0, A1, ..., AL], A[l] of shape (n, sizes[l]);
    A0 is X itself and AL is y_hat (the same forward pass as ``predict``)."""
    params, X, _, _, _ = check_arguments(params, X, leaky_slope=leaky_slope, activation=activation)
    sizes, model = sizes_array(params), model_of(params, activation, None, leaky_slope)
    X = np.ascontiguousarray(X, dtype=np.float64)
    W, b = pack(params, sizes)
    a = np.zeros((X.shape[0], W.shape[0], W.shape[1]))
    activations_loop(W, b, sizes, model, X, a)
    return [X.copy()] + [a[:, l, : sizes[l]].copy() for l in range(1, len(sizes))]
