"""``jit``: numba's ``njit(cache=True)``, and plain Python when numba is told not to compile.

Every function of the element-wise trainer is written once, in the plain Python that numba
compiles.  Under ``NUMBA_DISABLE_JIT=1`` numba returns the functions unchanged, so the same
source runs as the pure-Python baseline (and must give bitwise the same numbers).

``error_model="numpy"``: a division by zero gives inf or NaN, as in NumPy, instead of a check
before every division that would raise ZeroDivisionError (no division here can meet a zero:
every denominator is at least 1, or a batch size, or sqrt(v) + epsilon).

``inline="always"`` for the small per-neuron functions: numba then compiles them into the
loop that calls them, without a call and the reference counting of its array arguments
(it made the training loop 1.5 times faster).

``cache=True`` keeps the compiled code on disk, next to the source or in the user's cache
folder.  When neither is writable numba refuses the decorator; the trainer then compiles in
memory on every start instead of failing.
"""

import numba


def jit(function=None, **options):
    """``@jit`` or ``@jit(inline="always")``: numba.njit with the options above."""
    if function is None:
        return lambda f: jit(f, **options)
    options = dict(error_model="numpy", **options)
    try:
        return numba.njit(cache=True, **options)(function)
    except RuntimeError:  # "cannot cache function ...: no locator available"
        return numba.njit(**options)(function)
