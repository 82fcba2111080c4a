"""What this machine computes with: recorded beside results so that two runs that disagree can be
told apart.

NumPy picks SIMD code for the CPU it finds: on CPUs with AVX-512 its exp, expm1 and log1p are
NumPy's own and differ in the last bit from the C library's for a few percent of inputs, and
``NPY_DISABLE_CPU_FEATURES`` switches such levels off.  BLAS mode's results depend on this;
exact mode's do not (matrix_net.modes).
"""

import platform
from importlib import metadata

import numpy as np


def numpy_simd():
    """{"baseline": [...], "dispatched": [...]}: the SIMD levels NumPy was built for and the extra
    ones it found on this CPU and uses (what ``np.show_runtime()`` lists as baseline and found)."""
    try:
        from numpy._core._multiarray_umath import __cpu_baseline__, __cpu_dispatch__, __cpu_features__
    except ImportError:  # NumPy < 2 or a future layout: say so rather than guess
        return {"baseline": [], "dispatched": [], "unknown": True}
    return {"baseline": list(__cpu_baseline__),
            "dispatched": [f for f in __cpu_dispatch__ if __cpu_features__.get(f)]}


def avx512_levels():
    """The AVX-512 levels NumPy dispatches to here ([] on a CPU without AVX-512, or with them off).

    NumPy 2.4 names them X86_V4, AVX512_ICL, AVX512_SPR; older versions AVX512F, AVX512_SKX, ...
    These are the names to give ``NPY_DISABLE_CPU_FEATURES`` to make NumPy use its AVX2 code.
    """
    return [f for f in numpy_simd()["dispatched"] if "AVX512" in f or f == "X86_V4"]


def _cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def description():
    """A JSON-ready record of the machine: CPU, Python, NumPy and its SIMD levels, numba."""
    try:
        numba_version = metadata.version("numba")
    except metadata.PackageNotFoundError:
        numba_version = None
    return {"cpu": _cpu_model(), "architecture": platform.machine(), "python": platform.python_version(),
            "numpy": np.__version__, "numpy_simd": numpy_simd(), "numba": numba_version}


if __name__ == "__main__":  # `python -m backprop_lab.machine avx512`: for .ci/run
    import sys

    print(" ".join(avx512_levels()) if sys.argv[1:] == ["avx512"] else description())
