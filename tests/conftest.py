import pytest

import matrix_net
import scalar_net

#: The implementations of the batch gradient that must agree: (name, function(params, X, Y, **model)).
GRADIENTS = [
    ("scalar_net", scalar_net.batch_gradient),
    ("matrix_net", matrix_net.batch_gradient),
    ("matrix_net-exact", lambda *a, **kw: matrix_net.batch_gradient(*a, exact=True, **kw)),
]


@pytest.fixture(params=GRADIENTS, ids=[name for name, _ in GRADIENTS])
def batch_gradient(request):
    return request.param[1]


def pytest_collection_modifyitems(items):
    """The long exact-mode runs first, in the order they are listed (the slowest first).

    They start at once and no long run is left to end the session in silence.  (pytest keeps
    the order otherwise.)
    """
    items.sort(key=lambda item: item.get_closest_marker("long_runs") is None)


def pytest_terminal_summary(terminalreporter):
    """Report, not assert, how NumPy's own exp, expm1 and log1p compare with the C library's here:
    BLAS mode computes with them, exact mode does not (tests/test_platform.py)."""
    import numpy as np

    from backprop_lab.machine import numpy_simd
    from elementary import FUNCTIONS, differing

    simd = numpy_simd()
    levels = " + ".join(simd["baseline"] + simd["dispatched"]) or "unknown"
    counts = []
    for name in FUNCTIONS:
        wrong, compared, _ = differing(getattr(np, name), name)
        counts.append(f"{name} on {wrong} of {compared} inputs")
    terminalreporter.write_line(
        f"NumPy {np.__version__} (SIMD {levels}) differs from the C library's functions: {', '.join(counts)}. "
        "BLAS mode computes with NumPy's; exact mode with the C library's, as scalar_net does.")
