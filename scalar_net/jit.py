"""``jit``: numba's ``njit`` with an on-disk cache, and plain Python when numba is told not to compile.

Every function of the element-wise trainer is written once, in the plain Python that numba
compiles.  Under ``NUMBA_DISABLE_JIT=1`` numba returns the functions unchanged, so the same
source runs as the pure-Python baseline (and must give bitwise the same numbers).

``error_model="numpy"``: a division by zero gives inf or NaN, as in NumPy, instead of a check
before every division that would raise ZeroDivisionError (no division here can meet a zero:
every denominator is at least 1, or a batch size, or sqrt(v) + epsilon).

``inline="always"`` for the small per-neuron functions: numba then compiles them into the
loop that calls them, without a call and the reference counting of its array arguments
(it made the training loop 1.5 times faster).

The cache keeps the compiled code on disk, next to the source or in the user's cache folder.
Numba would reuse a function's cached code until that function's own file changes, but the
training loop has the other modules compiled into it: so here a cached function is stale as
soon as any module of scalar_net changes.  When no cache folder is writable, numba refuses to
cache; the trainer then compiles in memory on every start instead of failing.

The compiled code calls the C library's exp, expm1 and log1p, as plain Python's ``math`` does.
Nothing here asks for fast-math, and numba's use of Intel's SVML for vectorised loops (when the
``icc_rt`` package is installed) is switched off before numba loads: either would change bits
that exact mode promises (tests/test_platform.py checks both).
"""

import os
from pathlib import Path

os.environ.setdefault("NUMBA_DISABLE_INTEL_SVML", "1")  # before numba is imported, by anyone

import numba  # noqa: E402
from numba.core import caching  # noqa: E402

PACKAGE = Path(__file__).parent


class _PackageStamp:
    """A locator mixin: the source is as fresh as the newest module of scalar_net."""

    def get_source_stamp(self):
        return sorted((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in PACKAGE.glob("*.py"))


class _UserProvided(_PackageStamp, caching.UserProvidedCacheLocator):
    pass


class _InTree(_PackageStamp, caching.InTreeCacheLocator):
    pass


class _UserWide(_PackageStamp, caching.UserWideCacheLocator):
    pass


class _PackageCacheImpl(caching.CompileResultCacheImpl):
    _locator_classes = [_UserProvided, _InTree, _UserWide]


class _PackageCache(caching.FunctionCache):
    _impl_class = _PackageCacheImpl


def jit(function=None, **options):
    """``@jit`` or ``@jit(inline="always")``: numba.njit with the options above."""
    if function is None:
        return lambda f: jit(f, **options)
    dispatcher = numba.njit(error_model="numpy", **options)(function)
    if isinstance(dispatcher, numba.core.dispatcher.Dispatcher):  # not under NUMBA_DISABLE_JIT
        try:
            dispatcher._cache = _PackageCache(function)  # what cache=True does, with our locators
        except RuntimeError:  # "cannot cache function ...: no locator available"
            pass
    return dispatcher
