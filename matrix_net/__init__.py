"""Matrix-form backpropagation: whole layers and whole batches as NumPy matrix products.

``exact=True`` sums every product in the element-wise order and takes exp, expm1 and log1p from
the C library, as scalar_net does: bitwise equal to it (matrix_net.modes).
Conventions: backprop_lab.conventions.
"""

from matrix_net.training import all_activations, batch_gradient, predict, trace_step, train

__all__ = ["train", "batch_gradient", "predict", "trace_step", "all_activations"]
