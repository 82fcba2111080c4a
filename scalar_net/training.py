"""The element-wise trainer: the whole training loop compiled by numba.

Public functions take and return the parameter list of backprop_lab.conventions; inside, the
parameters live in the padded arrays described in scalar_net.backprop.
"""

import math

import numpy as np

from backprop_lab import options
from backprop_lab.options import MSE, SGD, SIGMOID
from backprop_lab.network import (OptimizerState, StepTrace, TrainResult, check_training_args, sizes_of,
                                  weights_and_biases)
from scalar_net.backprop import batch_gradient as _batch_gradient
from scalar_net.backprop import forward, traced_batch_gradient
from scalar_net.jit import jit
from scalar_net.optimizers import step, with_weight_decay


@jit
def train_loop(W, b, sizes, use_bias, X, Y, lr, epochs, batch_size, hidden, slope, loss_kind,
               optimizer, momentum, beta1, beta2, eps, weight_decay, stop_at_accuracy, mW, vW, mb, vb, powers,
               losses, accuracies):
    """Train W, b in place with the loop below; see there.

    The lab's default, sigmoid / MSE / gradient descent, gets a copy of the loop compiled with
    those options as constants, so the compiler removes the branches that select the others:
    choosing options at run time then costs the default path nothing (it cost it 5-9%).
    """
    if hidden == SIGMOID and loss_kind == MSE and optimizer == SGD:
        return _train_loop(W, b, sizes, use_bias, X, Y, lr, epochs, batch_size, SIGMOID, slope, MSE,
                           SGD, momentum, beta1, beta2, eps, weight_decay, stop_at_accuracy, mW, vW, mb, vb,
                           powers, losses, accuracies)
    return _train_loop(W, b, sizes, use_bias, X, Y, lr, epochs, batch_size, hidden, slope, loss_kind,
                       optimizer, momentum, beta1, beta2, eps, weight_decay, stop_at_accuracy, mW, vW, mb, vb,
                       powers, losses, accuracies)


@jit(inline="always")
def _train_loop(W, b, sizes, use_bias, X, Y, lr, epochs, batch_size, hidden, slope, loss_kind,
                optimizer, momentum, beta1, beta2, eps, weight_decay, stop_at_accuracy, mW, vW, mb, vb, powers,
                losses, accuracies):
    """Train W, b in place; fill losses[e], accuracies[e].  Return (epochs run, diverged): the run
    stops after the first epoch whose loss or parameters are not finite (that epoch is the last
    one run), or whose accuracy reaches stop_at_accuracy (math.inf for never).

    weight_decay: L2 on the weights, not the biases (backprop_lab.conventions, "Weight decay").

    mW, vW, mb, vb: optimizer state shaped like W and b (momentum's velocity in m; Adam's first
    moment in m, second in v), and powers = [beta1^t, beta2^t]: all updated in place.
    """
    n = X.shape[0]
    L = sizes.shape[0] - 1
    width = W.shape[1]
    z = np.zeros((L + 1, width))
    a = np.zeros((L + 1, width))
    delta = np.zeros((L + 1, width))
    gW = np.zeros_like(W)
    gb = np.zeros_like(b)
    power1 = powers[0]
    power2 = powers[1]
    for epoch in range(epochs):
        epoch_loss = 0.0
        correct = 0
        for start in range(0, n, batch_size):
            stop = min(start + batch_size, n)
            batch_loss, batch_correct = _batch_gradient(
                W, b, sizes, use_bias, hidden, slope, loss_kind, X, Y, start, stop, z, a, delta, gW, gb)
            epoch_loss += batch_loss
            correct += batch_correct
            power1 *= beta1
            power2 *= beta2
            bias1 = 1.0 - power1
            bias2 = 1.0 - power2
            for l in range(L):  # parameter order: W1, b1, W2, b2, ...
                for i in range(sizes[l]):
                    for j in range(sizes[l + 1]):
                        g = with_weight_decay(gW[l, i, j], W[l, i, j], weight_decay)
                        W[l, i, j], mW[l, i, j], vW[l, i, j] = step(
                            optimizer, W[l, i, j], g, mW[l, i, j], vW[l, i, j],
                            lr, momentum, beta1, beta2, eps, bias1, bias2)
                if use_bias:
                    for j in range(sizes[l + 1]):
                        b[l, j], mb[l, j], vb[l, j] = step(
                            optimizer, b[l, j], gb[l, j], mb[l, j], vb[l, j],
                            lr, momentum, beta1, beta2, eps, bias1, bias2)
        powers[0] = power1
        powers[1] = power2
        losses[epoch] = epoch_loss / n
        accuracies[epoch] = correct / n
        if not math.isfinite(losses[epoch]) or not all_finite(W, b, sizes, use_bias):
            return epoch + 1, True
        if accuracies[epoch] >= stop_at_accuracy:
            return epoch + 1, False
    return epochs, False


@jit(inline="always")
def all_finite(W, b, sizes, use_bias):
    """Whether every parameter is a finite number.

    Checked once per epoch after the loss, as in matrix_net: a loss can stay finite while the
    weights are NaN (ReLU maps a NaN input to 0), and such a run has diverged all the same.
    """
    for l in range(sizes.shape[0] - 1):
        for i in range(sizes[l]):
            for j in range(sizes[l + 1]):
                if not math.isfinite(W[l, i, j]):
                    return False
        if use_bias:
            for j in range(sizes[l + 1]):
                if not math.isfinite(b[l, j]):
                    return False
    return True


def pack(params):
    """Parameter list -> (W, b, sizes, use_bias) in the padded layout of scalar_net.backprop."""
    sizes = np.array(sizes_of(params), dtype=np.int64)
    Ws, bs = weights_and_biases(params)
    width = int(sizes.max())
    W = np.zeros((len(Ws), width, width))
    b = np.zeros((len(Ws), width))
    for l, Wl in enumerate(Ws):
        W[l, : Wl.shape[0], : Wl.shape[1]] = Wl
        if bs is not None:
            b[l, : bs[l].shape[0]] = bs[l]
    return W, b, sizes, bs is not None


def unpack(W, b, sizes, use_bias):
    """Padded (W, b) -> the parameter list."""
    params = []
    for l in range(len(sizes) - 1):
        params.append(W[l, : sizes[l], : sizes[l + 1]].copy())
        if use_bias:
            params.append(b[l, : sizes[l + 1]].copy())
    return params


def _float_data(X, Y):
    return np.ascontiguousarray(X, dtype=np.float64), np.ascontiguousarray(Y, dtype=np.float64)


def train(params, X, Y, *, lr, epochs, batch_size=None, activation="sigmoid", loss="mse",
          optimizer="sgd", momentum=options.DEFAULT_MOMENTUM, beta1=options.DEFAULT_BETA1,
          beta2=options.DEFAULT_BETA2, leaky_slope=options.DEFAULT_LEAKY_SLOPE, weight_decay=0.0,
          stop_at_accuracy=None, state=None, momentum_form="classic"):
    """Train a copy of ``params`` on (X, Y), continuing from optimizer ``state`` if given.

    ``weight_decay``: L2 on the weights; ``stop_at_accuracy``: stop after the first epoch whose
    accuracy reaches it (None: run every epoch).  See backprop_lab.conventions.
    ``momentum_form``: with optimizer="momentum", "classic" (v <- momentum v + g) or "average"
    (v <- momentum v + (1 - momentum) g).

    Returns backprop_lab.network.TrainResult.
    """
    batch_size = check_training_args(params, X, Y, lr, epochs, batch_size, weight_decay, stop_at_accuracy)
    X, Y = _float_data(X, Y)
    W, b, sizes, use_bias = pack(params)
    state = state or OptimizerState.zeros_like(params)
    mW, mb, _, _ = pack(state.first)
    vW, vb, _, _ = pack(state.second)
    powers = np.array([state.power1, state.power2])
    losses = np.zeros(epochs)
    accuracies = np.zeros(epochs)
    run, diverged = train_loop(W, b, sizes, use_bias, X, Y, float(lr), int(epochs), batch_size,
                     options.code(activation, options.ACTIVATIONS), float(leaky_slope),
                     options.code(loss, options.LOSSES), options.optimizer_code(optimizer, momentum_form),
                     float(momentum), float(beta1), float(beta2), options.ADAM_EPSILON,
                     float(weight_decay), math.inf if stop_at_accuracy is None else float(stop_at_accuracy),
                     mW, vW, mb, vb, powers, losses, accuracies)
    diverged_at = run if diverged else None
    state = OptimizerState(unpack(mW, mb, sizes, use_bias), unpack(vW, vb, sizes, use_bias),
                           float(powers[0]), float(powers[1]))
    return TrainResult(unpack(W, b, sizes, use_bias), losses[:run], accuracies[:run], run, diverged_at, state)


def batch_gradient(params, X, Y, *, activation="sigmoid", loss="mse", leaky_slope=options.DEFAULT_LEAKY_SLOPE):
    """(L, [dL/dW1, dL/db1, ...]) for the whole of (X, Y) taken as one batch."""
    X, Y = _float_data(X, Y)
    W, b, sizes, use_bias = pack(params)
    L, width = len(sizes) - 1, W.shape[1]
    z, a, delta = (np.zeros((L + 1, width)) for _ in range(3))
    gW, gb = np.zeros_like(W), np.zeros_like(b)
    loss_sum, _ = _batch_gradient(W, b, sizes, use_bias, options.code(activation, options.ACTIVATIONS),
                                  float(leaky_slope), options.code(loss, options.LOSSES), X, Y,
                                  0, X.shape[0], z, a, delta, gW, gb)
    return loss_sum / X.shape[0], unpack(gW, gb, sizes, use_bias)


def trace_step(params, X, Y, *, activation="sigmoid", loss="mse", leaky_slope=options.DEFAULT_LEAKY_SLOPE):
    """Every number of one step's forward and backward pass over the batch (X, Y), sample by
    sample: backprop_lab.network.StepTrace, its padded arrays cut to each layer's neurons."""
    X, Y = _float_data(X, Y)
    W, b, sizes, use_bias = pack(params)
    m, L, width = X.shape[0], len(sizes) - 1, W.shape[1]
    z, a, delta = (np.zeros((m, L + 1, width)) for _ in range(3))
    losses, gW, gb = np.zeros(m), np.zeros_like(W), np.zeros_like(b)
    loss_sum = traced_batch_gradient(W, b, sizes, use_bias, options.code(activation, options.ACTIVATIONS),
                                     float(leaky_slope), options.code(loss, options.LOSSES), X, Y,
                                     z, a, delta, losses, gW, gb)
    return StepTrace(_by_layer(z, sizes, None), _by_layer(a, sizes, X.copy()), _by_layer(delta, sizes, None),
                     losses, loss_sum / m, unpack(gW, gb, sizes, use_bias))


def _by_layer(arrays, sizes, first):
    """Padded per-sample arrays (m, L+1, width) -> [first, (m, sizes[1]), ..., (m, sizes[L])]."""
    return [first] + [arrays[:, l, : sizes[l]].copy() for l in range(1, len(sizes))]


@jit
def predict_loop(W, b, sizes, use_bias, hidden, slope, X, y_hat):
    """Fill y_hat[s, 0] with the output for sample X[s], one forward pass per sample."""
    L = sizes.shape[0] - 1
    width = W.shape[1]
    z = np.zeros((L + 1, width))
    a = np.zeros((L + 1, width))
    for s in range(X.shape[0]):
        forward(W, b, sizes, use_bias, hidden, slope, X[s], z, a)
        y_hat[s, 0] = a[L, 0]


def predict(params, X, *, activation="sigmoid", leaky_slope=options.DEFAULT_LEAKY_SLOPE):
    """y_hat of shape (n, 1), one forward pass per sample (compiled: a 200 x 200 grid takes
    milliseconds, where a Python loop over the samples took most of a second)."""
    X = np.ascontiguousarray(X, dtype=np.float64)
    W, b, sizes, use_bias = pack(params)
    y_hat = np.empty((X.shape[0], 1))
    predict_loop(W, b, sizes, use_bias, options.code(activation, options.ACTIVATIONS), float(leaky_slope),
                 X, y_hat)
    return y_hat
