"""Matrix-form backpropagation: whole layers and whole batches as NumPy matrix products.

``exact=True`` uses a product with a fixed summation order, bitwise equal to scalar_net.
Conventions: backprop_lab.conventions.
"""

from matrix_net.training import batch_gradient, predict, trace_step, train

__all__ = ["train", "batch_gradient", "predict", "trace_step"]
