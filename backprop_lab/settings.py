"""The records both trainers hand down their functions, in place of long lists of arguments.

``Model`` holds what fixes the loss and its gradient, ``Schedule`` how training steps, and
``Moments`` what the optimizer carries from one step to the next.  They are NamedTuples because
numba compiles a NamedTuple into a plain struct: reading a field costs nothing, and a record built
from constants lets the compiler remove the branches on them (scalar_net.training does that for
the lab's default).  The trainers take option *names*; these records carry their integer codes
(backprop_lab.options), which compiled code switches on.

Layers are numbered 0 (the inputs) to L (the output), in both trainers, the derivations and
``trace``: W_l and b_l are the parameters of layer l, so ``W[l]`` is W_l everywhere.
"""

import math
from typing import NamedTuple

import numpy as np

from backprop_lab import options
from backprop_lab.network import has_bias, sizes_of


class Model(NamedTuple):
    """The network's options and its loss: with the layer sizes, everything the forward and
    backward passes depend on.

    The sizes are not in the record: numba counts references to an array held in a NamedTuple
    on every read of it, and in the element-wise trainer's per-sample functions that cost a third
    of the training time.  Both trainers pass ``sizes`` beside the record instead.
    """

    use_bias: bool     # whether every layer l >= 1 has a bias b_l
    activation: int    # the hidden layers' activation g, a code of options.ACTIVATIONS
    slope: float       # leaky ReLU's slope below zero
    loss: int          # a code of options.ALL_LOSSES (CROSS_ENTROPY: K >= 3 softmax outputs)


class Schedule(NamedTuple):
    """How training steps: the optimizer and its step size, the batches, when to stop."""

    lr: float
    epochs: int
    batch_size: int
    optimizer: int             # a code of options.OPTIMIZERS, or options.MOMENTUM_AVERAGE
    momentum: float            # momentum's beta
    beta1: float               # Adam's decay of the first moment
    beta2: float               # Adam's decay of the second moment
    eps: float                 # Adam's epsilon
    weight_decay: float        # L2 on the weights, not the biases (backprop_lab.conventions)
    stop_at_accuracy: float    # stop after the first epoch that reaches it; math.inf: never


class Moments(NamedTuple):
    """The optimizer's state, indexed by layer like the parameters (entry 0 unused).

    first_W, first_b:   momentum's velocity, or Adam's first moment, shaped like W and b;
    second_W, second_b: Adam's second moment;
    powers:             (2,) [beta1^t, beta2^t] after t steps, for Adam's bias correction.
    """

    first_W: object
    second_W: object
    first_b: object
    second_b: object
    powers: np.ndarray


def sizes_array(params):
    """(L+1,) int64: the layer sizes of the parameter list ``params``, as both trainers pass them."""
    return np.array(sizes_of(params), dtype=np.int64)


def model_of(params, activation="sigmoid", loss=None, leaky_slope=options.DEFAULT_LEAKY_SLOPE):
    """The Model of the parameter list ``params`` with these option names (``loss`` None: the
    default of its output width, options.default_loss)."""
    if loss is None:
        loss = options.default_loss(sizes_of(params)[-1])
    return Model(has_bias(params),
                 options.code(activation, options.ACTIVATIONS), float(leaky_slope),
                 options.code(loss, options.ALL_LOSSES))


def schedule_of(*, lr, epochs, batch_size, optimizer="sgd", momentum=options.DEFAULT_MOMENTUM,
                momentum_form="classic", beta1=options.DEFAULT_BETA1, beta2=options.DEFAULT_BETA2, weight_decay=0.0,
                stop_at_accuracy=None):
    """The Schedule of these options (``batch_size`` already resolved to a number)."""
    return Schedule(float(lr), int(epochs), int(batch_size), options.optimizer_code(optimizer, momentum_form),
                    float(momentum), float(beta1), float(beta2), options.ADAM_EPSILON, float(weight_decay),
                    math.inf if stop_at_accuracy is None else float(stop_at_accuracy))
