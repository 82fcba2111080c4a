"""The implementations timed side by side: each prepares, for a workload, a function that trains
a fresh copy of the workload's parameters for ``epochs`` epochs and returns the last epoch's loss.

Peers (torch, jax) are optional: their benchmarks skip when the package is missing.
"""

from dataclasses import dataclass
from importlib import import_module
from typing import Callable

import pytest

import matrix_net
import scalar_net
from benchmarks import numba_matrix, products_only, pure_python
from benchmarks.workloads import LR


@dataclass(frozen=True)
class Implementation:
    name: str
    about: str
    prepare: Callable
    needs: str | None = None  # a module whose absence skips the benchmark

    def runner(self, workload):
        if self.needs:
            pytest.importorskip(self.needs)
        return self.prepare(workload)


def _trainer(train, **options):
    def prepare(workload):
        params, (X, Y) = workload.params(), workload.data()

        def run(epochs):
            result = train(params, X, Y, lr=LR, epochs=epochs, batch_size=workload.batch_size, **options)
            return result.loss[-1]

        return run

    return prepare


def _numba_matrix(workload):
    params, (X, Y) = workload.params(), workload.data()
    return lambda epochs: numba_matrix.train(params, X, Y, lr=LR, epochs=epochs, batch_size=workload.batch_size)


def _peer(module):
    def prepare(workload):  # imported only here: torch and jax are optional, and slow to import
        return import_module(f"benchmarks.peer_{module}").prepare(workload)

    return prepare


SCALAR = Implementation("scalar_net", "element-wise, whole loop compiled by numba", _trainer(scalar_net.train))
PURE_PYTHON = Implementation("scalar_net-python", "the same source as plain Python (NUMBA_DISABLE_JIT=1)",
                             pure_python.prepare)
MATRIX = Implementation("matrix_net", "matrix form, NumPy with BLAS", _trainer(matrix_net.train))
MATRIX_EXACT = Implementation("matrix_net-exact", "matrix form, ordered products (bitwise = scalar_net)",
                              _trainer(matrix_net.train, exact=True))
NUMBA_MATRIX = Implementation("numba_matrix", "matrix form compiled by numba (control)", _numba_matrix)
TORCH = Implementation("torch", "PyTorch eager, CPU, float64, autograd + optim.SGD", _peer("torch"), "torch")
JAX = Implementation("jax", "JAX, whole loop jitted (fori_loop + scan), float64", _peer("jax"), "jax")
PRODUCTS = Implementation("products-only", "matrix_net's matrix products of an epoch, nothing else",
                          products_only.prepare)

#: Every implementation, at the lab's size (exact mode materialises m*K*n products; plain Python
#: is ~300x slower than compiled).
AT_LAB_SIZE = (SCALAR, PURE_PYTHON, MATRIX, MATRIX_EXACT, NUMBA_MATRIX, TORCH, JAX)
#: The ones that scale to wide layers and large batches (numba_matrix's products are plain loops,
#: a control for the interpreter's cost at the lab's size, not a rival to BLAS on wide layers).
SCALING = (SCALAR, MATRIX, TORCH, JAX)
#: On the digits (64 inputs, ten softmax outputs, 1,797 images): every implementation but plain
#: Python (300x scalar_net's time would be a minute an epoch at 64-256-256-10) and exact mode,
#: which bench_digits times on the narrowest nets only (its m*K*n products: 1 GB at H = 256).
DIGITS = (SCALAR, MATRIX, NUMBA_MATRIX, TORCH, JAX)
