"""What one scalar operation costs on this machine, compiled the way the element-wise trainer is.

Each kernel runs one operation over an array, many times, summing the results in order (the
trainer's sums are ordered too: no reassociation, so no SIMD, and each add waits for the one
before).  Divided by the number of operations, the time is the cost of one:

    multiply-add   total += a_i b_i           the add's latency bounds it
    exp            total += exp(x_i)          x_i in [-5, 0], as sigmoid's argument -|z|
    division       total += 1 / (1 + x_i)     as in sigmoid

the bench report (backprop_lab/commands/bench/report.py) multiplies these by op_count.per_epoch
to say what an epoch of the element-wise trainer would cost if it did nothing but its arithmetic.
"""

import math

import numpy as np
from numba import njit

SIZE = 1000


@njit(cache=True)
def multiply_adds(a, b, repeats):
    total = 0.0
    for _ in range(repeats):
        for i in range(a.shape[0]):
            total += a[i] * b[i]
    return total


@njit(cache=True)
def exps(a, b, repeats):
    total = 0.0
    for _ in range(repeats):
        for i in range(a.shape[0]):
            total += math.exp(b[i])
    return total


@njit(cache=True)
def divisions(a, b, repeats):
    total = 0.0
    for _ in range(repeats):
        for i in range(a.shape[0]):
            total += 1.0 / (1.0 + a[i])
    return total


KERNELS = {"multiply_adds": multiply_adds, "exps": exps, "divisions": divisions}


def prepare(operation):
    """A function doing ``passes`` passes over the array: SIZE operations each."""
    kernel = KERNELS[operation]
    rng = np.random.default_rng(0)
    a, b = rng.uniform(0.0, 1.0, SIZE), rng.uniform(-5.0, 0.0, SIZE)

    def run(passes):
        kernel(a, b, passes)

    return run
