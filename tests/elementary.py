"""The inputs and the reference for the elementary functions exact mode depends on.

The reference is the C library itself, called through ctypes where it can be found, else through
Python's ``math`` (the same C functions, but raising where the C functions return inf or NaN).
"""

import ctypes
import ctypes.util
import math

import numpy as np

FUNCTIONS = ("exp", "expm1", "log1p")


def _inputs():
    rng = np.random.default_rng(0)
    tiny = np.array([5e-324, 1e-320, 2.2250738585072014e-308, 1e-300, 1e-200, 1e-20, 1e-10])
    edges = np.array([0.0, 1.0, 709.782712893384, 709.79, 710.0, 1e308, np.inf,
                      -708.39, -745.1332191019411, -745.14, -746.0, -1e308, -np.inf,
                      -0.9999999999999999, -1.0, -1.5, np.nan])
    return np.concatenate([
        rng.uniform(-1, 1, 20_000), rng.uniform(-50, 50, 20_000), rng.uniform(-745, 709, 20_000),
        rng.standard_normal(5_000) * 1e-8,  # near zero, where expm1 and log1p matter
        tiny, -tiny, edges, [-0.0]])


#: About 65,000 inputs: uniform on three scales, near zero, subnormal, tiny, huge, overflowing,
#: underflowing, infinite, NaN, negative zero, and log1p's pole and domain edge.
INPUTS = _inputs()


def _c_library():
    name = ctypes.util.find_library("m") or ctypes.util.find_library("c")
    if name is None:
        return None
    library = ctypes.CDLL(name)
    functions = {}
    for f in FUNCTIONS:
        function = getattr(library, f)
        function.restype, function.argtypes = ctypes.c_double, [ctypes.c_double]
        functions[f] = function
    return functions


_C = _c_library()


def reference(name, inputs):
    """(inputs, outputs) of the C library's ``name``; inputs Python's math rejects are left out
    where the C library cannot be called directly."""
    if _C is not None:
        return inputs, np.array([_C[name](float(x)) for x in inputs])
    kept, outputs = [], []
    for x in inputs:
        try:
            outputs.append(getattr(math, name)(float(x)))
            kept.append(x)
        except (OverflowError, ValueError):
            pass
    return np.array(kept), np.array(outputs)


def bits(values):
    """The float64s as integers: equal bits compare equal, NaN and -0.0 included."""
    return np.ascontiguousarray(values, dtype=np.float64).view(np.int64)


def differing(function, name, inputs=INPUTS):
    """(how many inputs ``function`` computes differently from the C library's ``name``, how many
    were compared, the first input that differs or None)."""
    kept, expected = reference(name, inputs)
    with np.errstate(all="ignore"):
        got = function(kept)
    wrong = np.flatnonzero(bits(got) != bits(expected))
    return wrong.size, kept.size, (kept[wrong[0]] if wrong.size else None)
