"""``jit``: numba's ``njit(cache=True)``, and plain Python when numba is told not to compile.

Every function of the element-wise trainer is written once, in the plain Python that numba
compiles.  Under ``NUMBA_DISABLE_JIT=1`` numba returns the functions unchanged, so the same
source runs as the pure-Python baseline (and must give bitwise the same numbers).

``cache=True`` keeps the compiled code on disk, next to the source or in the user's cache
folder.  When neither is writable numba refuses the decorator; the trainer then compiles in
memory on every start instead of failing.
"""

import numba


def jit(function):
    try:
        return numba.njit(cache=True)(function)
    except RuntimeError:  # "cannot cache function ...: no locator available"
        return numba.njit(function)
