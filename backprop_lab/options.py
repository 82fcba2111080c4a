"""Names of the trainers' options and the integer codes the compiled trainer switches on.

Both trainers accept the names; the element-wise trainer passes the codes into compiled code,
where an ``if`` on a small integer costs one predictable branch.
"""

ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky-relu", "silu", "identity")
#: The losses of one sigmoid output (two classes, 0 and 1).
LOSSES = ("mse", "bce", "half-mse")
#: The loss of K >= 3 softmax outputs (classes 0..K-1), its code after LOSSES' so theirs stay.
SOFTMAX_LOSS = "cross-entropy"
ALL_LOSSES = LOSSES + (SOFTMAX_LOSS,)
OPTIMIZERS = ("sgd", "momentum", "adam")
MOMENTUM_FORMS = ("classic", "average")
INITS = ("normal", "uniform", "xavier", "kaiming")

SIGMOID, TANH, RELU, LEAKY_RELU, SILU, IDENTITY = range(len(ACTIVATIONS))
MSE, BCE, HALF_MSE, CROSS_ENTROPY = range(len(ALL_LOSSES))
SGD, MOMENTUM, ADAM = range(len(OPTIMIZERS))
#: A hidden optimizer code, not a name of OPTIMIZERS: momentum in the averaged form
#: v <- beta v + (1 - beta) g, chosen by ``momentum_form="average"`` (see optimizer_code).
MOMENTUM_AVERAGE = len(OPTIMIZERS)

#: Defaults shared by both trainers and the CLI.
DEFAULT_LEAKY_SLOPE = 0.01
DEFAULT_MOMENTUM = 0.9
DEFAULT_BETA1 = 0.9
DEFAULT_BETA2 = 0.999
ADAM_EPSILON = 1e-8


def code(name, choices):
    """The integer code of ``name`` in ``choices``; a ValueError naming the choices otherwise."""
    try:
        return choices.index(name)
    except ValueError:
        raise ValueError(f"unknown option {name!r}; choose one of {', '.join(choices)}") from None


def default_loss(outputs):
    """The loss a net with ``outputs`` output units trains on when none is named: the lab's MSE
    for one sigmoid output, cross-entropy for K >= 3 softmax outputs."""
    return "mse" if outputs == 1 else SOFTMAX_LOSS


def optimizer_code(optimizer, momentum_form="classic"):
    """The code the trainers switch on for ``optimizer`` in ``momentum_form``: MOMENTUM_AVERAGE
    for momentum in the averaged form, the optimizer's own code otherwise (the form only shapes
    momentum; backprop_lab.conventions, "Momentum")."""
    kind = code(optimizer, OPTIMIZERS)
    averaged = MOMENTUM_FORMS[code(momentum_form, MOMENTUM_FORMS)] == "average"  # a form checked like a name
    return MOMENTUM_AVERAGE if kind == MOMENTUM and averaged else kind
