"""One training step with every number, taken from both trainers and checked against each other.

``run`` asks scalar_net for the step element by element and matrix_net (exact mode) for the same
step as matrices, then trains each trainer for one epoch on the same batch.  Every number the
trace prints comes from these runs; ``Mismatch`` is raised if any two of them differ in any bit.
"""

from dataclasses import dataclass

import numpy as np

import matrix_net
import scalar_net
from backprop_lab.network import param_names, weights_and_biases


class Mismatch(Exception):
    """Two computations that must give the same bits did not: the trace would be wrong."""


@dataclass
class Step:
    """One traced step.

    X (m, 2), Y (m, 1):  the batch, one sample per row; ``labels`` names each sample for the reader.
    params, new_params:  before and after the step, in parameter order (new_params from train()).
    elementwise:         scalar_net.trace_step's StepTrace, every number of the step.
    matrix:              matrix_net.trace_step's StepTrace (exact mode): the same numbers.
    velocities:          with config.optimizer "momentum", each parameter's velocity after the step
                         (train()'s optimizer state, from v = 0); None for gradient descent.
    """

    config: object
    X: np.ndarray
    Y: np.ndarray
    labels: list
    params: list
    new_params: list
    elementwise: object
    matrix: object
    velocities: list = None

    @property
    def sizes(self):
        Ws, _ = weights_and_biases(self.params)
        return (Ws[0].shape[0],) + tuple(W.shape[1] for W in Ws)

    @property
    def bias(self):
        return self.config.bias


def _bits(array):
    return np.ascontiguousarray(array, dtype=np.float64).tobytes()


def same_bits(name, first, second, a, b):
    """Raise Mismatch naming the first entry where arrays a (from ``first``) and b differ in a bit."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise Mismatch(f"{name}: {first} gives shape {a.shape}, {second} {b.shape}")
    if _bits(a) != _bits(b):
        for index in np.ndindex(a.shape):
            if _bits(a[index]) != _bits(b[index]):
                raise Mismatch(f"{name}{list(index)}: {first} gives {a[index]!r}, {second} {b[index]!r}")


def _check_traces(elementwise, matrix, names):
    for l in range(1, len(elementwise.Z)):
        for what in ("Z", "A", "Delta"):
            same_bits(f"{what}{l}", "scalar_net", "matrix_net", getattr(elementwise, what)[l], getattr(matrix, what)[l])
    same_bits("sample losses", "scalar_net", "matrix_net", elementwise.losses, matrix.losses)
    same_bits("L", "scalar_net", "matrix_net", elementwise.loss, matrix.loss)
    for name, g, h in zip(names, elementwise.grads, matrix.grads):
        same_bits(f"dL/d{name}", "scalar_net", "matrix_net", g, h)


def run(config, X, Y, params, labels):
    """Trace one step of ``config``'s network from ``params`` on the batch (X, Y); return a Step.

    Raises Mismatch unless scalar_net, matrix_net (exact), both trainers' batch_gradient and one
    epoch of both trainers' train() on this batch agree to the last bit.
    """
    model = dict(activation=config.activation, loss=config.loss, leaky_slope=config.leaky_slope)
    names = param_names(params)
    elementwise = scalar_net.trace_step(params, X, Y, **model)
    matrix = matrix_net.trace_step(params, X, Y, exact=True, **model)
    _check_traces(elementwise, matrix, names)
    for trainer, (loss, grads) in (("scalar_net.batch_gradient", scalar_net.batch_gradient(params, X, Y, **model)),
                                   ("matrix_net.batch_gradient", matrix_net.batch_gradient(params, X, Y, exact=True,
                                                                                           **model))):
        same_bits("L", "trace_step", trainer, elementwise.loss, loss)
        for name, g, h in zip(names, elementwise.grads, grads):
            same_bits(f"dL/d{name}", "trace_step", trainer, g, h)
    training = dict(lr=config.lr, epochs=1, optimizer=config.optimizer, momentum=config.momentum,
                    momentum_form=config.momentum_form)
    trained = {"scalar_net.train": scalar_net.train(params, X, Y, **training, **model),
               "matrix_net.train": matrix_net.train(params, X, Y, exact=True, **training, **model)}
    velocities = [first_velocity(config, g) for g in elementwise.grads]  # the update the trace prints
    rule = "w - lr*dL/dw" if velocities[0] is None else "w - lr*v"
    for trainer, result in trained.items():
        same_bits("epoch loss", "trace_step", trainer, elementwise.loss, result.loss[0])
        for name, p, g, v, got, v_got in zip(names, params, elementwise.grads, velocities, result.params,
                                             result.state.first):
            if v is not None:
                same_bits(f"velocity of {name}", "v = beta*0 + ...", trainer, v, v_got)
            same_bits(f"new {name}", rule, trainer, p - config.lr * (g if v is None else v), got)
    return Step(config, X, Y, list(labels), [np.array(p) for p in params],
                trained["scalar_net.train"].params, elementwise, matrix,
                None if velocities[0] is None else trained["scalar_net.train"].state.first)


def first_velocity(config, g):
    """Momentum's velocity after its first step, from v = 0 (backprop_lab.conventions, "Momentum"):
    beta*0 + g (classic) or beta*0 + (1 - beta)*g (average), in the trainers' order; None for
    gradient descent."""
    if config.optimizer != "momentum":
        return None
    v = config.momentum * np.zeros_like(g)
    return v + (1.0 - config.momentum) * g if config.momentum_form == "average" else v + g
