"""The right answer for one batch: scalar_net's backpropagation, and every number it went through.

``gradients`` are scalar_net.batch_gradient's; ``step`` is scalar_net.trace_step's StepTrace of the
same batch (its Z, A and Delta per layer and sample; its gradients are the same to the last bit,
which ``backprop-lab trace`` checks), from which the diagnosis reads each layer's delta and the
explanation its numbers.  Row vectors, parameter order: backprop_lab.conventions.
"""

from dataclasses import dataclass

import scalar_net


@dataclass
class Reference:
    """loss: the batch loss; gradients: [dL/dW1, dL/db1, ...]; step: backprop_lab.network.StepTrace."""

    loss: float
    gradients: list
    step: object


def reference(network, params, batch):
    """The reference's loss, gradients and traced step of ``network`` at ``params`` on ``batch``."""
    loss, gradients = scalar_net.batch_gradient(params, batch.X, batch.Y, **network.model())
    step = scalar_net.trace_step(params, batch.X, batch.Y, **network.model())
    return Reference(loss, gradients, step)
