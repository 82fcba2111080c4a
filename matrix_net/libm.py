"""exp, expm1 and log1p on whole arrays, computed by the C library one element at a time.

These are the functions the element-wise trainer calls (numba compiles ``math.exp`` into a call
to the C library's ``exp``, and plain Python's ``math.exp`` is that same call), so exact mode
gets the very same bits from them.  NumPy's own ``np.exp`` may not: on CPUs with AVX-512 NumPy
computes exp, expm1 and log1p with SIMD code of its own, which differs from the C library's in
the last bit for a few percent of inputs.

Each function is a NumPy ufunc compiled by numba, built on first use (so BLAS mode never imports
numba) and kept in numba's on-disk cache like scalar_net's code.  What could still change the
bits, and where it is guarded:

* fast-math (reassociation, approximate functions): never asked for, here or in scalar_net;
* Intel's SVML, which numba uses for vectorised loops when the ``icc_rt`` package is installed:
  switched off before numba loads (``NUMBA_DISABLE_INTEL_SVML``), here and in scalar_net.jit;
  tests/test_platform.py checks both.
"""

import math
import os
from functools import cache

os.environ.setdefault("NUMBA_DISABLE_INTEL_SVML", "1")  # before numba is imported, by anyone

SIGNATURES = ["float64(float64)"]


def _c_exp(x):
    return math.exp(x)


def _c_expm1(x):
    return math.expm1(x)


def _c_log1p(x):
    return math.log1p(x)


def _compile(function):
    """The NumPy ufunc whose one loop (float64 -> float64) numba compiled from ``function``."""
    import numba

    try:
        compiled = numba.vectorize(SIGNATURES, cache=True)(function)
    except RuntimeError:  # "cannot cache ...: no locator available": no writable cache folder
        compiled = numba.vectorize(SIGNATURES)(function)
    # numba's wrapper would compile new loops for other types on the fly, at about 0.5 us a call
    # (the per-sample runs make millions of calls); the plain ufunc inside costs what np.exp does.
    return getattr(compiled, "ufunc", compiled)


@cache
def functions():
    """(exp, expm1, log1p) as ufuncs that call the C library: float64 arrays in and out."""
    return _compile(_c_exp), _compile(_c_expm1), _compile(_c_log1p)
