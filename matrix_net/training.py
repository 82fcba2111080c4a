"""The matrix trainer: mini-batch gradient descent with whole layers as matrix products."""

import math

import numpy as np

from backprop_lab import options
from backprop_lab.network import OptimizerState, StepTrace, TrainResult, check_training_args, weights_and_biases
from matrix_net.backprop import backward, forward, gradients
from matrix_net.backprop import batch_gradient as _batch_gradient
from matrix_net.losses import sample_losses
from matrix_net.optimizers import step, with_weight_decay
from matrix_net import modes
from matrix_net.products import sum_over_samples


def train(params, X, Y, *, lr, epochs, batch_size=None, activation="sigmoid", loss="mse",
          optimizer="sgd", momentum=options.DEFAULT_MOMENTUM, beta1=options.DEFAULT_BETA1,
          beta2=options.DEFAULT_BETA2, leaky_slope=options.DEFAULT_LEAKY_SLOPE, weight_decay=0.0,
          stop_at_accuracy=None, state=None, exact=False, momentum_form="classic"):
    """Train a copy of ``params`` on (X, Y), continuing from optimizer ``state`` if given.

    ``weight_decay``: L2 on the weights; ``stop_at_accuracy``: stop after the first epoch whose
    accuracy reaches it (None: run every epoch).  See backprop_lab.conventions.
    ``momentum_form``: with optimizer="momentum", "classic" (v <- momentum v + g) or "average"
    (v <- momentum v + (1 - momentum) g).

    ``exact=True`` takes matrix_net.modes' exact mode (ordered sums, the C library's exp), bitwise
    equal to scalar_net.
    Returns backprop_lab.network.TrainResult.
    """
    batch_size = check_training_args(params, X, Y, lr, epochs, batch_size, weight_decay, stop_at_accuracy)
    hidden = options.code(activation, options.ACTIVATIONS)
    loss_kind = options.code(loss, options.LOSSES)
    optimizer = options.optimizer_code(optimizer, momentum_form)
    mode = modes.select(exact)
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    n = X.shape[0]
    # Trained in place: copies, all views into one buffer, so one call checks them all for NaN.
    flat = np.concatenate([np.asarray(p, dtype=np.float64).ravel() for p in params])
    params = _views(flat, params)
    Ws, bs = weights_and_biases(params)
    # Optimizer state, in parameter order: momentum's velocity in M; Adam's moments in M and V;
    # beta1^t and beta2^t for Adam's bias correction at step t.
    state = state or OptimizerState.zeros_like(params)
    M = [np.array(p, dtype=np.float64) for p in state.first]
    V = [np.array(p, dtype=np.float64) for p in state.second]
    power1, power2 = state.power1, state.power2
    decays = [float(weight_decay) if p.ndim == 2 else 0.0 for p in params]  # weights decay, biases do not
    losses = np.zeros(epochs)
    accuracies = np.zeros(epochs)
    for epoch in range(epochs):
        epoch_loss = 0.0
        correct = 0
        for start in range(0, n, batch_size):
            stop = min(start + batch_size, n)
            batch_loss, batch_correct, grads = _batch_gradient(
                Ws, bs, hidden, leaky_slope, loss_kind, X[start:stop], Y[start:stop], mode)
            epoch_loss += batch_loss
            correct += batch_correct
            power1 *= beta1
            power2 *= beta2
            for theta, G, Mp, Vp, decay in zip(params, grads, M, V, decays):  # parameter order
                G = with_weight_decay(G, theta, decay)
                step(optimizer, theta, G, Mp, Vp, lr, momentum, beta1, beta2,
                     options.ADAM_EPSILON, 1.0 - power1, 1.0 - power2)
        losses[epoch] = epoch_loss / n
        accuracies[epoch] = correct / n
        # After the loss, the parameters, as in scalar_net: ReLU can keep the loss finite on NaN weights.
        diverged = not math.isfinite(losses[epoch]) or not np.isfinite(flat).all()
        if diverged:
            break
        if stop_at_accuracy is not None and accuracies[epoch] >= stop_at_accuracy:
            break
    run = epoch + 1
    diverged_at = run if diverged else None
    return TrainResult(params, losses[:run], accuracies[:run], run, diverged_at,
                       OptimizerState(M, V, power1, power2))


def _views(flat, shapes_of):
    """Arrays shaped like ``shapes_of``, each a view of its stretch of ``flat``, in order."""
    views, start = [], 0
    for p in shapes_of:
        size = np.size(p)
        views.append(flat[start:start + size].reshape(np.shape(p)))
        start += size
    return views


def batch_gradient(params, X, Y, *, activation="sigmoid", loss="mse",
                   leaky_slope=options.DEFAULT_LEAKY_SLOPE, exact=False):
    """(L, [dL/dW1, dL/db1, ...]) for the whole of (X, Y) taken as one batch."""
    Ws, bs = weights_and_biases([np.asarray(p, dtype=np.float64) for p in params])
    loss_sum, _, grads = _batch_gradient(
        Ws, bs, options.code(activation, options.ACTIVATIONS), leaky_slope,
        options.code(loss, options.LOSSES), np.asarray(X, dtype=np.float64),
        np.asarray(Y, dtype=np.float64), modes.select(exact))
    return loss_sum / len(X), grads


def trace_step(params, X, Y, *, activation="sigmoid", loss="mse", leaky_slope=options.DEFAULT_LEAKY_SLOPE,
               exact=False):
    """Every number of one step's forward and backward pass over the batch (X, Y), as matrices:
    backprop_lab.network.StepTrace (the same calls as matrix_net.backprop.batch_gradient)."""
    Ws, bs = weights_and_biases([np.asarray(p, dtype=np.float64) for p in params])
    hidden, loss_kind = options.code(activation, options.ACTIVATIONS), options.code(loss, options.LOSSES)
    mode = modes.select(exact)
    X, Y = np.asarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64)
    Z, A = forward(Ws, bs, hidden, leaky_slope, X, mode)
    losses = sample_losses(loss_kind, Z[-1], A[-1], Y, mode)
    loss_sum = sum_over_samples(mode.matmul, losses)[0]
    Delta = backward(Ws, hidden, leaky_slope, loss_kind, Y, Z, A, mode)
    return StepTrace(Z, A, Delta, losses[:, 0], loss_sum / len(X), gradients(A, Delta, bs is not None, mode))


def predict(params, X, *, activation="sigmoid", leaky_slope=options.DEFAULT_LEAKY_SLOPE, exact=False):
    """Y_hat of shape (n, 1), one forward pass over the whole of X."""
    Ws, bs = weights_and_biases([np.asarray(p, dtype=np.float64) for p in params])
    _, A = forward(Ws, bs, options.code(activation, options.ACTIVATIONS), leaky_slope,
                   np.asarray(X, dtype=np.float64), modes.select(exact))
    return A[-1]


def all_activations(params, X, *, activation="sigmoid", leaky_slope=options.DEFAULT_LEAKY_SLOPE, exact=False):
    """Every layer's activations for the batch X: [A0, A1, ..., AL], A[l] of shape (n, sizes[l]);
    A0 is X itself and AL is Y_hat (the same forward pass as ``predict``)."""
    Ws, bs = weights_and_biases([np.asarray(p, dtype=np.float64) for p in params])
    _, A = forward(Ws, bs, options.code(activation, options.ACTIVATIONS), leaky_slope,
                   np.asarray(X, dtype=np.float64), modes.select(exact))
    return A
