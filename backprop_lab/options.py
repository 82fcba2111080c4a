"""Names of the trainers' options and the integer codes the compiled trainer switches on.

Both trainers accept the names; the element-wise trainer passes the codes into compiled code,
where an ``if`` on a small integer costs one predictable branch.
"""

ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky-relu", "silu", "identity")
LOSSES = ("mse", "bce")
OPTIMIZERS = ("sgd", "momentum", "adam")
INITS = ("normal", "uniform", "xavier", "kaiming")

SIGMOID, TANH, RELU, LEAKY_RELU, SILU, IDENTITY = range(len(ACTIVATIONS))
MSE, BCE = range(len(LOSSES))
SGD, MOMENTUM, ADAM = range(len(OPTIMIZERS))

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
