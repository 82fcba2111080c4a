"""What a mode of the matrix trainer is: its matrix product and its elementary functions.

This is the one place where the two modes differ; the rest of matrix_net takes a ``Mode`` and
calls ``mode.matmul``, ``mode.exp``, ``mode.expm1`` and ``mode.log1p``.

``blas``:  NumPy's ``@`` (BLAS: blocked, reordered, fused sums) and NumPy's own exp, expm1 and
           log1p (SIMD code of NumPy's on some CPUs).  Fast; agrees with scalar_net to rounding.
``exact``: ``products.ordered_matmul`` (every sum in the element-wise order, one rounding per
           operation) and the C library's exp, expm1 and log1p (``matrix_net.libm``), the same
           functions scalar_net calls.  Bitwise equal to scalar_net on any CPU and NumPy build.
"""

from functools import cache
from typing import Callable, NamedTuple

import numpy as np

from matrix_net.products import blas_matmul, ordered_matmul


class Mode(NamedTuple):
    name: str
    matmul: Callable  # (m, K) @ (K, n) -> (m, n)
    exp: Callable  # elementwise on float64 arrays
    expm1: Callable
    log1p: Callable


BLAS = Mode("blas", blas_matmul, np.exp, np.expm1, np.log1p)


@cache
def _exact():
    from matrix_net import libm

    return Mode("exact", ordered_matmul, *libm.functions())


def select(exact):
    """The exact mode if ``exact``, else BLAS mode."""
    return _exact() if exact else BLAS
