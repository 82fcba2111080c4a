"""The network both trainers train: its layer sizes, its parameters and their seeded start.

Conventions (row vectors, parameter order, shapes) are stated in :mod:`backprop_lab.conventions`.
"""

from dataclasses import dataclass

import numpy as np

from backprop_lab.options import INITS

LAB_SIZES = (2, 4, 4, 1)


def check_sizes(sizes):
    """Validate ``(2, H1, ..., Hk, 1)``; return it as a tuple of ints."""
    sizes = tuple(int(s) for s in sizes)
    if len(sizes) < 2 or sizes[0] != 2 or sizes[-1] != 1:
        raise ValueError(f"layer sizes must run from 2 inputs to 1 output, got {sizes}")
    if min(sizes) < 1:
        raise ValueError(f"every layer needs at least one neuron, got {sizes}")
    return sizes


def seed_streams(seed):
    """One seed -> two independent streams: (data generator seed, weight generator)."""
    data_seq, weight_seq = np.random.SeedSequence(seed).spawn(2)
    return data_seq, np.random.default_rng(weight_seq)


def _draw_weights(rng, scheme, fan_in, fan_out):
    """W of shape (fan_in, fan_out) drawn by ``scheme``; see INIT_SCHEMES."""
    shape = (fan_in, fan_out)
    if scheme == "normal":
        return rng.standard_normal(shape)
    if scheme == "uniform":
        return rng.uniform(-1.0, 1.0, shape)
    if scheme == "xavier":
        return rng.standard_normal(shape) * np.sqrt(2.0 / (fan_in + fan_out))
    if scheme == "kaiming":
        return rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)
    raise ValueError(f"unknown init {scheme!r}; choose one of {', '.join(INITS)}")


#: What each scheme draws for a weight matrix of shape (fan_in, fan_out).  Biases start at 0.
INIT_SCHEMES = {
    "normal": "N(0, 1), as in the lab",
    "uniform": "U(-1, 1)",
    "xavier": "N(0, 2 / (fan_in + fan_out))  (Glorot, normal form)",
    "kaiming": "N(0, 2 / fan_in)  (He, normal form)",
}


def init_params(sizes=LAB_SIZES, *, bias=True, init="normal", rng=None, seed=None):
    """Initial parameters ``[W1, b1, ..., WL, bL]`` (or ``[W1, ..., WL]`` without bias).

    Give either a numpy Generator ``rng`` or a ``seed`` (which seeds the weight stream of
    :func:`seed_streams`, so one seed fixes data and weights together).
    """
    sizes = check_sizes(sizes)
    if rng is None:
        rng = seed_streams(seed)[1]
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        params.append(_draw_weights(rng, init, fan_in, fan_out))
        if bias:
            params.append(np.zeros(fan_out))
    return params


def has_bias(params):
    """Whether ``params`` is ``[W1, b1, ...]`` (biases are the 1-D entries) or ``[W1, W2, ...]``."""
    return len(params) > 1 and params[1].ndim == 1


def weights_and_biases(params):
    """Split the parameter list into ``(Ws, bs)``; ``bs`` is None for the bias-free net."""
    if has_bias(params):
        return list(params[0::2]), list(params[1::2])
    return list(params), None


def by_layer(params):
    """``(W, b)``: lists indexed by layer l = 0 (the inputs) .. L (the output), ``W[l]`` = W_l and
    ``b[l]`` = b_l, the numbering of the trainers, the derivations and ``trace``.  Entry 0 is None,
    and so is every entry of ``b`` for the bias-free net."""
    Ws, bs = weights_and_biases(params)
    return [None] + Ws, [None] + (bs if bs is not None else [None] * len(Ws))


def sizes_of(params):
    """Layer sizes ``(2, H1, ..., 1)`` read off the weight shapes."""
    Ws, _ = weights_and_biases(params)
    return (Ws[0].shape[0],) + tuple(W.shape[1] for W in Ws)


def param_names(params):
    """``['W1', 'b1', 'W2', ...]`` matching the parameter order."""
    bias = has_bias(params)
    names = []
    for layer in range(1, len(sizes_of(params))):
        names.append(f"W{layer}")
        if bias:
            names.append(f"b{layer}")
    return names


@dataclass
class OptimizerState:
    """What an optimizer carries from one step to the next, so training can resume exactly.

    first, second: lists in parameter order, shaped like the parameters (momentum's velocity in
                   ``first``; Adam's first and second moments);
    power1, power2: beta1^t and beta2^t after t steps (Adam's bias correction).
    """

    first: list
    second: list
    power1: float = 1.0
    power2: float = 1.0

    @classmethod
    def zeros_like(cls, params):
        return cls([np.zeros_like(p, dtype=np.float64) for p in params],
                   [np.zeros_like(p, dtype=np.float64) for p in params])


@dataclass
class TrainResult:
    """What both trainers return.

    params:     final parameters, in parameter order.
    loss:       (epochs_run,) epoch losses, as defined in conventions.
    accuracy:   (epochs_run,) epoch accuracies in [0, 1].
    epochs_run: epochs completed; less than asked when the loss or a parameter turned NaN or
                infinite (checked once per epoch, the loss first), in which case ``diverged_at``
                is that (1-based) epoch, or when ``stop_at_accuracy`` was reached (then
                ``diverged_at`` is None and the last epoch is the one that reached it).
    state:      the optimizer state at the end; pass it back as ``state=`` to continue training.
    gradient_norms: (epochs_run, L) each epoch's gradient norm of each layer's weights, column
                l-1 for W_l (the root-mean-square over the epoch's steps of ||dL/dW_l||, as
                defined in conventions).
    """

    params: list
    loss: np.ndarray
    accuracy: np.ndarray
    epochs_run: int
    diverged_at: int | None
    state: OptimizerState
    gradient_norms: np.ndarray


@dataclass
class StepTrace:
    """Every number of one forward and backward pass over a batch of m samples, as a trainer
    computes them (what ``scalar_net.trace_step`` and ``matrix_net.trace_step`` return).

    Lists indexed by layer l = 0 (inputs) .. L (output), as in matrix_net.backprop:
    Z:      Z[l] (m, sizes[l]) pre-activations z of each sample (row) and neuron (column); Z[0] None.
    A:      A[l] (m, sizes[l]) activations g(z); A[0] is the batch's inputs, A[L] its y_hat.
    Delta:  Delta[l] (m, sizes[l]) dL/dz, with the batch's 1/m in it; Delta[0] None.
    losses: (m,) each sample's term of the loss sum, before the 1/m.
    loss:   the batch loss L = (sum of losses) / m.
    grads:  [dL/dW1, dL/db1, ...] in parameter order, summed over the batch.
    """

    Z: list
    A: list
    Delta: list
    losses: np.ndarray
    loss: float
    grads: list


def check_training_args(params, X, Y, lr, epochs, batch_size, weight_decay=0.0, stop_at_accuracy=None):
    """Validate arguments common to both trainers; return the batch size (None -> full batch)."""
    X, Y = np.asarray(X), np.asarray(Y)
    n = X.shape[0]
    inputs = sizes_of(params)[0]
    if X.ndim != 2 or Y.ndim != 2 or X.shape[1] != inputs or Y.shape != (n, 1):
        raise ValueError(f"X must be (n, {inputs}) and y (n, 1); got {X.shape} and {Y.shape}")
    if not (np.isfinite(lr) and lr > 0):
        raise ValueError(f"learning rate must be positive and finite, got {lr}")
    if epochs < 1:
        raise ValueError(f"epochs must be at least 1, got {epochs}")
    if not (np.isfinite(weight_decay) and weight_decay >= 0):
        raise ValueError(f"weight decay must be zero or positive and finite, got {weight_decay}")
    if stop_at_accuracy is not None and not 0 < stop_at_accuracy <= 1:
        raise ValueError(f"the accuracy to stop at must be in (0, 1], got {stop_at_accuracy}")
    batch_size = n if batch_size is None else int(batch_size)
    if not 1 <= batch_size <= n:
        raise ValueError(f"batch size must be between 1 and {n} (the data set's size), got {batch_size}")
    return batch_size
