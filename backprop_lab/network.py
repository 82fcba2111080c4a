"""The network both trainers train: its layer sizes, its parameters and their seeded start.

Conventions (row vectors, parameter order, shapes) are stated in :mod:`backprop_lab.conventions`.
"""

from dataclasses import dataclass

import numpy as np

from backprop_lab.options import INITS

LAB_SIZES = (2, 4, 4, 1)


def check_sizes(sizes):
    """Validate ``(n, H1, ..., Hk, K_out)``: n >= 1 inputs, and one sigmoid output (two classes)
    or K_out >= 3 softmax outputs (K classes); return it as a tuple of ints."""
    sizes = tuple(int(s) for s in sizes)
    if len(sizes) < 2 or sizes[0] < 1 or sizes[-1] == 2 or sizes[-1] < 1:
        raise ValueError(f"layer sizes must run from n >= 1 inputs to 1 output (two classes) or K >= 3 outputs "
                         f"(K classes; two classes take one output), got {sizes}")
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
    """Layer sizes ``(n, H1, ..., K_out)`` read off the weight shapes."""
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


def _number(value, name):
    """``value`` as a Python float, or a ValueError naming ``name`` (a bool, a string, an array are refused)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a number, got {type(value).__name__} {value!r:.60}")
    return float(value)


def _integer(value, name):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {type(value).__name__} {value!r:.60}")
    return int(value)


def _in(value, name, low, high, text, *, low_open=False, high_open=False):
    """``value`` as a float within [low, high] (either end open), finite; else a ValueError naming ``name``."""
    value = _number(value, name)
    if not (np.isfinite(value) and (value > low if low_open else value >= low)
            and (value < high if high_open else value <= high)):
        raise ValueError(f"{name} must be {text}, got {value!r}")
    return value


def _array(value, name, ndim):
    """``value`` as a float64 array of ``ndim`` dimensions in C order (the compiled trainer indexes
    it), else a ValueError naming ``name``.  Its entries may be NaN or infinite (a diverged net's)."""
    if type(value) is np.ndarray and value.dtype == np.float64 and value.ndim == ndim and value.flags.c_contiguous:
        return value  # the usual case, checked in a microsecond
    try:
        array = np.asarray(value)
    except Exception as error:  # ragged nested lists, objects NumPy cannot hold
        raise ValueError(f"{name} must be a rectangular array of numbers, not ragged ({type(error).__name__})") from None
    if array.dtype == object or not (np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_) \
            or np.issubdtype(array.dtype, np.complexfloating):
        raise ValueError(f"{name} must be an array of real numbers, got dtype {array.dtype}")
    if array.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got {array.ndim}-D of shape {array.shape}")
    array = np.ascontiguousarray(array, dtype=np.float64)
    return array


def check_params(params):
    """The parameter list ``[W1, b1, ...]`` or ``[W1, W2, ...]`` as float64 arrays, each W_l of shape
    (sizes[l-1], sizes[l]) and b_l of (sizes[l],), the sizes those of check_sizes; else a
    ValueError naming ``params`` and the entry."""
    if not isinstance(params, (list, tuple)) or len(params) == 0:
        raise ValueError(f"params must be a non-empty list [W1, b1, W2, b2, ...] or [W1, W2, ...], "
                         f"got {type(params).__name__}")
    bias = len(params) > 1 and np.ndim(params[1]) == 1
    names = [f"W{k // 2 + 1}" if k % 2 == 0 else f"b{k // 2 + 1}" for k in range(len(params))] if bias \
        else [f"W{k + 1}" for k in range(len(params))]
    if bias and len(params) % 2:
        raise ValueError(f"params with biases must hold pairs W_l, b_l: got {len(params)} entries")
    checked = [_array(p, f"params[{k}] ({names[k]})", 1 if names[k][0] == "b" else 2) for k, p in enumerate(params)]
    Ws = checked[0::2] if bias else checked
    fan_in = Ws[0].shape[0]
    for l, W in enumerate(Ws, start=1):
        k = 2 * (l - 1) if bias else l - 1
        if W.shape[0] != fan_in:
            raise ValueError(f"params[{k}] (W{l}) must have {fan_in} rows, one per neuron of layer {l - 1}; "
                             f"got shape {W.shape}")
        if bias and checked[k + 1].shape != (W.shape[1],):
            raise ValueError(f"params[{k + 1}] (b{l}) must have shape ({W.shape[1]},), one per neuron of "
                             f"layer {l}; got {checked[k + 1].shape}")
        fan_in = W.shape[1]
    try:
        check_sizes(sizes_of(checked))
    except ValueError as error:
        raise ValueError(f"params: {error}") from None
    return checked


def check_inputs(X, sizes):
    """X as a float64 (n, sizes[0]) array, n >= 1, finite; else a ValueError naming X."""
    X = _array(X, "X", 2)
    if X.shape[0] == 0 or X.shape[1] != sizes[0]:
        raise ValueError(f"X must have shape (n, {sizes[0]}) with n >= 1 (one row per sample), got {X.shape}")
    if not np.isfinite(X).all():
        raise ValueError("X must hold finite numbers only")
    return X


def check_labels(Y, n, outputs=1):
    """Y as a float64 (n, 1) array of labels: for one output, in [0, 1] (the classes 0 and 1, or a
    target between them, as ``trace --target`` takes); for K >= 3 outputs, the class indices
    0..K-1, whole numbers.  Else a ValueError naming Y."""
    Y = _array(Y, "Y", 2)
    if Y.shape != (n, 1):
        raise ValueError(f"Y must have shape ({n}, 1), one label per row of X, got {Y.shape}")
    if outputs == 1:
        if not (Y.min() >= 0.0 and Y.max() <= 1.0):  # NaN fails both
            raise ValueError("Y must hold labels in [0, 1] only (the classes 0 and 1)")
    elif not (Y.min() >= 0.0 and Y.max() <= outputs - 1 and (Y == np.floor(Y)).all()):  # NaN fails
        raise ValueError(f"Y must hold class indices 0 to {outputs - 1} only (whole numbers), one per output")
    return Y


def check_loss(loss, outputs):
    """``loss`` (None: options.default_loss) fits a net of ``outputs`` output units: one of the
    losses of one sigmoid output, or cross-entropy for K >= 3 softmax outputs; else a ValueError
    naming ``loss``."""
    from backprop_lab import options

    if loss is None:
        return
    if not isinstance(loss, str) or loss not in options.ALL_LOSSES:
        raise ValueError(f"loss must be one of {', '.join(options.ALL_LOSSES)}; got {loss!r:.60}")
    if outputs == 1 and loss not in options.LOSSES:
        raise ValueError(f"loss {loss!r} needs K >= 3 outputs (softmax); one sigmoid output takes "
                         f"{', '.join(options.LOSSES)}")
    if outputs > 1 and loss != options.SOFTMAX_LOSS:
        raise ValueError(f"loss {loss!r} fits one sigmoid output; {outputs} softmax outputs take "
                         f"{options.SOFTMAX_LOSS}")


def check_state(state, params):
    """``state``: None or an OptimizerState shaped like ``params`` (float64 copies); else a
    ValueError naming ``state``."""
    if state is None:
        return None
    if not isinstance(state, OptimizerState):
        raise ValueError(f"state must be an OptimizerState (a TrainResult's state), got {type(state).__name__}")
    lists = []
    for field in ("first", "second"):
        moments = getattr(state, field)
        if not isinstance(moments, (list, tuple)) or len(moments) != len(params):
            raise ValueError(f"state.{field} must be a list of {len(params)} arrays, one per parameter")
        checked = []
        for k, (m, p) in enumerate(zip(moments, params)):
            m = _array(m, f"state.{field}[{k}]", p.ndim)
            if m.shape != p.shape:
                raise ValueError(f"state.{field}[{k}] must have the shape of params[{k}], {p.shape}; got {m.shape}"
                                 " (a state of another network?)")
            checked.append(m)
        lists.append(checked)
    powers = [_in(getattr(state, f), f"state.{f}", 0.0, 1.0, "in [0, 1]") for f in ("power1", "power2")]
    return OptimizerState(*lists, *powers)


def check_names(activation="sigmoid", optimizer="sgd", momentum_form="classic"):
    """Each option name one of its choices, else a ValueError naming the argument (the loss:
    check_loss)."""
    from backprop_lab import options

    for name, value, choices in (("activation", activation, options.ACTIVATIONS),
                                 ("optimizer", optimizer, options.OPTIMIZERS),
                                 ("momentum_form", momentum_form, options.MOMENTUM_FORMS)):
        if not isinstance(value, str) or value not in choices:
            raise ValueError(f"{name} must be one of {', '.join(choices)}; got {value!r:.60}")


def check_arguments(params, X, Y=None, *, state=None, training=None, leaky_slope=0.01, exact=False, loss=None,
                    **names):
    """Every argument of a trainer's public function, checked before anything is packed or compiled
    code runs (scalar_net's has no bounds checks: a shape that does not fit would read past an
    array).  Returns (params, X, Y, state, batch_size) as float64 arrays (Y None when not given,
    batch_size None unless ``training``).  Raises a ValueError naming the argument.

    ``training``: for ``train``, the dict of lr, epochs, batch_size, momentum, beta1, beta2,
    weight_decay and stop_at_accuracy; ``loss``: a name, or None for the net's default
    (options.default_loss); ``names``: activation, optimizer, momentum_form.
    """
    params = check_params(params)
    sizes = sizes_of(params)
    X = check_inputs(X, sizes)
    if Y is not None:
        Y = check_labels(Y, X.shape[0], sizes[-1])
    check_names(**names)
    check_loss(loss, sizes[-1])
    if not isinstance(exact, (bool, np.bool_)):
        raise ValueError(f"exact must be True or False, got {exact!r:.60}")
    _in(leaky_slope, "leaky_slope", -np.inf, np.inf, "a finite number")
    state = check_state(state, params)
    batch_size = None
    if training is not None:
        batch_size = _check_training(X.shape[0], **training)
    return params, X, Y, state, batch_size


def check_training_args(params, X, Y, lr, epochs, batch_size, weight_decay=0.0, stop_at_accuracy=None,
                        momentum=0.9, beta1=0.9, beta2=0.999):
    """Validate the training options; return the batch size (None -> full batch).  Each error is a
    ValueError naming the argument."""
    params, X, Y, _, _ = check_arguments(params, X, Y)
    return _check_training(X.shape[0], lr, epochs, batch_size, weight_decay, stop_at_accuracy, momentum, beta1, beta2)


def _check_training(n, lr, epochs, batch_size, weight_decay=0.0, stop_at_accuracy=None, momentum=0.9, beta1=0.9,
                    beta2=0.999):
    """check_training_args for a data set of n samples already checked."""
    _in(lr, "lr (the learning rate)", 0.0, np.inf, "positive and finite", low_open=True, high_open=True)
    if _integer(epochs, "epochs") < 1:
        raise ValueError(f"epochs must be at least 1, got {epochs}")
    _in(weight_decay, "weight_decay", 0.0, np.inf, "zero or positive and finite", high_open=True)
    if stop_at_accuracy is not None:
        _in(stop_at_accuracy, "stop_at_accuracy (the accuracy to stop at)", 0.0, 1.0, "in (0, 1]", low_open=True)
    for name, value in (("momentum", momentum), ("beta1", beta1), ("beta2", beta2)):
        _in(value, name, 0.0, 1.0, "in [0, 1)", high_open=True)
    batch_size = n if batch_size is None else _integer(batch_size, "batch_size")
    if not 1 <= batch_size <= n:
        raise ValueError(f"batch_size (the batch size) must be between 1 and {n} (the data set's size), got {batch_size}")
    return batch_size
