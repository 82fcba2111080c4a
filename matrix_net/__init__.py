"""Matrix-form backpropagation: whole layers and whole batches as NumPy matrix products.

``exact=True`` uses a product with a fixed summation order, bitwise equal to scalar_net.
Conventions: backprop_lab.conventions.
"""

from matrix_net.training import activations, batch_gradient, predict, train

__all__ = ["train", "batch_gradient", "predict", "activations"]
