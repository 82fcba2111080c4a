"""The matrix trainer: mini-batch gradient descent with whole layers as matrix products.

Public functions take and return the parameter list of backprop_lab.conventions; inside, the
parameters live in lists indexed by layer, described in matrix_net.backprop.
"""

import math

import numpy as np

from backprop_lab.network import OptimizerState, StepTrace, TrainResult, by_layer, check_arguments
from backprop_lab.options import CROSS_ENTROPY, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_LEAKY_SLOPE, DEFAULT_MOMENTUM
from backprop_lab.settings import Moments, model_of, schedule_of, sizes_array
from matrix_net import backprop, modes
from matrix_net.optimizers import step, with_weight_decay


def sum_of_squares(mode, G):
    """The sum of G's entries squared, row by row, in the mode's order: the product g g^T of G's
    entries as one row (exact mode: ((0 + g_0 g_0) + g_1 g_1) + ..., as scalar_net sums them)."""
    row = G.reshape(1, -1)
    return float(mode.matmul(row, row.T)[0, 0])


def train_loop(W, b, sizes, model, X, Y, schedule, moments, losses, accuracies, norms, mode, every_parameter):
    """Train W, b in place; fill losses[e], accuracies[e] and norms[e, l-1], the gradient norm of W_l
    (backprop_lab.conventions: the sum of squares of each step's dL/dW_l, summed over the steps).  Return (epochs run, diverged): the run
    stops after the first epoch whose loss or parameters are not finite (that epoch is the last
    one run), or whose accuracy reaches schedule.stop_at_accuracy (math.inf for never).

    moments: backprop_lab.settings.Moments, lists shaped like W and b, updated in place;
    every_parameter: one array of which every W[l] and b[l] is a view, checked for NaN at once.
    """
    n = X.shape[0]
    L = len(sizes) - 1
    power1 = moments.powers[0]
    power2 = moments.powers[1]
    steps = (n + schedule.batch_size - 1) // schedule.batch_size
    gradient = backprop.softmax_batch_gradient if model.loss == CROSS_ENTROPY else backprop.batch_gradient
    for epoch in range(schedule.epochs):
        epoch_loss = 0.0
        correct = 0
        squares = [0.0] * (L + 1)  # squares[l]: sum over the epoch's steps of the step's sum of dL/dW_l^2
        for start in range(0, n, schedule.batch_size):
            stop = min(start + schedule.batch_size, n)
            batch_loss, batch_correct, gW, gb = gradient(W, b, sizes, model, X, Y, start, stop, mode)
            epoch_loss += batch_loss
            correct += batch_correct
            power1 *= schedule.beta1
            power2 *= schedule.beta2
            bias1 = 1.0 - power1
            bias2 = 1.0 - power2
            for l in range(1, L + 1):  # parameter order: W1, b1, W2, b2, ...
                squares[l] += sum_of_squares(mode, gW[l])  # the data term's gradient, before the decay
                g = with_weight_decay(gW[l], W[l], schedule.weight_decay)
                step(schedule, W[l], g, moments.first_W[l], moments.second_W[l], bias1, bias2)
                if model.use_bias:
                    step(schedule, b[l], gb[l], moments.first_b[l], moments.second_b[l], bias1, bias2)
        moments.powers[0] = power1
        moments.powers[1] = power2
        losses[epoch] = epoch_loss / n
        accuracies[epoch] = correct / n
        for l in range(1, L + 1):
            norms[epoch, l - 1] = math.sqrt(squares[l] / steps)
        # After the loss, the parameters, as in scalar_net: ReLU can keep the loss finite on NaN weights.
        if not math.isfinite(losses[epoch]) or not np.isfinite(every_parameter).all():
            return epoch + 1, True
        if accuracies[epoch] >= schedule.stop_at_accuracy:
            return epoch + 1, False
    return schedule.epochs, False


def pack(params, sizes):
    """Parameter list -> (W, b), lists indexed by layer as in matrix_net.backprop, and the one
    flat array they are all views of, copied from ``params``."""
    flat = np.concatenate([np.asarray(p, dtype=np.float64).ravel() for p in params])
    views, start = [], 0
    for p in params:
        size = np.size(p)
        views.append(flat[start:start + size].reshape(np.shape(p)))
        start += size
    W, b = by_layer(views)
    return W, b, flat


def unpack(W, b, sizes, model):
    """(W, b) lists indexed by layer -> the parameter list [W1, b1, W2, ...]."""
    params = []
    for l in range(1, len(sizes)):
        params.append(W[l])
        if model.use_bias:
            params.append(b[l])
    return params


def memory_bytes(sizes):
    """Bytes this trainer's own parameter-sized arrays take for layer ``sizes``: the parameters,
    their gradients, the optimizer's two moments and a step's temporaries, about 8 copies."""
    weights = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
    return 8 * 8 * weights


def train(params, X, Y, *, lr, epochs, batch_size=None, activation="sigmoid", loss=None,
          optimizer="sgd", momentum=DEFAULT_MOMENTUM, momentum_form="classic", beta1=DEFAULT_BETA1,
          beta2=DEFAULT_BETA2, leaky_slope=DEFAULT_LEAKY_SLOPE, weight_decay=0.0, stop_at_accuracy=None, state=None, exact=False):
    """Train a copy of ``params`` on (X, Y), continuing from optimizer ``state`` if given.

    ``weight_decay``: L2 on the weights; ``stop_at_accuracy``: stop after the first epoch whose
    accuracy reaches it (None: run every epoch).  See backprop_lab.conventions.
    ``momentum_form``: with optimizer="momentum", "classic" (v <- momentum v + g) or "average"
    (v <- momentum v + (1 - momentum) g).  ``loss``: None takes the net's default,
    backprop_lab.options.default_loss (MSE for one output, cross-entropy for K outputs).

    ``exact=True`` takes matrix_net.modes' exact mode (ordered sums, the C library's exp), bitwise
    equal to scalar_net.
    Returns backprop_lab.network.TrainResult.
    """
    params, X, Y, state, batch_size = check_arguments(
        params, X, Y, state=state, leaky_slope=leaky_slope, activation=activation, loss=loss, optimizer=optimizer,
        momentum_form=momentum_form, exact=exact, training=dict(lr=lr, epochs=epochs, batch_size=batch_size,
        momentum=momentum, beta1=beta1, beta2=beta2, weight_decay=weight_decay, stop_at_accuracy=stop_at_accuracy))
    sizes, model = sizes_array(params), model_of(params, activation, loss, leaky_slope)
    schedule = schedule_of(lr=lr, epochs=epochs, batch_size=batch_size, optimizer=optimizer, momentum=momentum,
                           momentum_form=momentum_form, beta1=beta1, beta2=beta2, weight_decay=weight_decay,
                           stop_at_accuracy=stop_at_accuracy)
    X, Y = np.asarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64)
    W, b, every_parameter = pack(params, sizes)
    state = state or OptimizerState.zeros_like(params)
    first_W, first_b, _ = pack(state.first, sizes)
    second_W, second_b, _ = pack(state.second, sizes)
    moments = Moments(first_W, second_W, first_b, second_b, np.array([state.power1, state.power2]))
    losses = np.zeros(epochs)
    accuracies = np.zeros(epochs)
    norms = np.zeros((epochs, len(sizes) - 1))
    run, diverged = train_loop(W, b, sizes, model, X, Y, schedule, moments, losses, accuracies, norms, modes.select(exact),
                               every_parameter)
    state = OptimizerState(unpack(moments.first_W, moments.first_b, sizes, model),
                           unpack(moments.second_W, moments.second_b, sizes, model),
                           float(moments.powers[0]), float(moments.powers[1]))
    return TrainResult(unpack(W, b, sizes, model), losses[:run], accuracies[:run], run, run if diverged else None, state,
                       norms[:run])


def batch_gradient(params, X, Y, *, activation="sigmoid", loss=None, leaky_slope=DEFAULT_LEAKY_SLOPE, exact=False):
    """(L, [dL/dW1, dL/db1, ...]) for the whole of (X, Y) taken as one batch."""
    params, X, Y, _, _ = check_arguments(params, X, Y, leaky_slope=leaky_slope, activation=activation, loss=loss,
                                         exact=exact)
    sizes, model = sizes_array(params), model_of(params, activation, loss, leaky_slope)
    X, Y = np.asarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64)
    W, b, _ = pack(params, sizes)
    gradient = backprop.softmax_batch_gradient if model.loss == CROSS_ENTROPY else backprop.batch_gradient
    loss_sum, _, gW, gb = gradient(W, b, sizes, model, X, Y, 0, X.shape[0], modes.select(exact))
    return loss_sum / X.shape[0], unpack(gW, gb, sizes, model)


def trace_step(params, X, Y, *, activation="sigmoid", loss=None, leaky_slope=DEFAULT_LEAKY_SLOPE, exact=False):
    """Every number of one step's forward and backward pass over the batch (X, Y), as matrices:
    backprop_lab.network.StepTrace."""
    params, X, Y, _, _ = check_arguments(params, X, Y, leaky_slope=leaky_slope, activation=activation, loss=loss,
                                         exact=exact)
    sizes, model = sizes_array(params), model_of(params, activation, loss, leaky_slope)
    X, Y = np.asarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64)
    W, b, _ = pack(params, sizes)
    Z, A, Delta, losses, loss_sum, gW, gb = backprop.trace_step(W, b, sizes, model, X, Y, modes.select(exact))
    return StepTrace(Z, A, Delta, losses[:, 0], loss_sum / X.shape[0], unpack(gW, gb, sizes, model))


def predict(params, X, *, activation="sigmoid", leaky_slope=DEFAULT_LEAKY_SLOPE, exact=False):
    """Y_hat of shape (n, 1), P(class 1), for one output; (n, K), the softmax probabilities, for
    K outputs.  One forward pass over the whole of X."""
    return all_activations(params, X, activation=activation, leaky_slope=leaky_slope, exact=exact)[-1]


def all_activations(params, X, *, activation="sigmoid", leaky_slope=DEFAULT_LEAKY_SLOPE, exact=False):
    """Every layer's activations for the batch X: [A0, A1, ..., AL], A[l] of shape (n, sizes[l]);
    A0 is X itself and AL is Y_hat (the same forward pass as ``predict``)."""
    params, X, _, _, _ = check_arguments(params, X, leaky_slope=leaky_slope, activation=activation, exact=exact)
    sizes, model = sizes_array(params), model_of(params, activation, None, leaky_slope)
    W, b, _ = pack(params, sizes)
    _, A = backprop.any_forward(W, b, sizes, model, np.asarray(X, dtype=np.float64), modes.select(exact))
    return A
