"""Element-wise backpropagation: one sample, one neuron, one weight at a time, compiled by numba.

Run it as plain Python with ``NUMBA_DISABLE_JIT=1``.  Conventions: backprop_lab.conventions.
"""

from scalar_net.training import all_activations, batch_gradient, predict, trace_step, train

__all__ = ["train", "batch_gradient", "predict", "trace_step", "all_activations"]
