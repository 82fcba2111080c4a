import pytest

import matrix_net
import scalar_net
from backprop_lab.config import Config, prepare

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
    """The long exact-mode runs first, in the order they are listed (the slowest first), then the
    other long tests (marked ``early``).

    Every xdist worker collects in this order and takes the next test when it is free, so the
    long runs start at once, on both cores, the short tests fill in after them, and none is left
    to end the session in silence.  (pytest keeps the order otherwise.)
    """
    items.sort(key=lambda item: (item.get_closest_marker("long_runs") is None, item.get_closest_marker("early") is None))


@pytest.hookimpl(optionalhook=True)  # an xdist hook: it runs in the controller, before any worker starts
def pytest_xdist_setupnodes(config, specs):
    """Compile the trainers' numba code once, into numba's on-disk cache, for the workers to load.

    Otherwise every worker compiles the same code at the same moment (from a fresh clone), each
    paying for it, and numba's cache is not safe for processes that write it at once: two that
    save two signatures of one function can both take its data file 1 and leave the index
    pointing at the other's code (numba issue 4807).  These calls compile all the training code,
    with both signatures of scalar_net's batch gradient (called from Python, and inside the
    training loop).  What is left to the workers has one signature each, which two processes
    save as the same entry (scalar_net's activations and losses, which tests/test_platform.py
    calls on their own), or runs on one worker (benchmarks/numba_matrix.py, its xdist_group).
    """
    try:
        X, Y, params = prepare(Config())
        scalar_net.train(params, X, Y, lr=1.0, epochs=1)
        scalar_net.batch_gradient(params, X, Y)
        scalar_net.trace_step(params, X, Y)
        scalar_net.predict(params, X)
        scalar_net.all_activations(params, X)
        matrix_net.train(params, X, Y, lr=1.0, epochs=1, exact=True)  # exact mode's libm ufuncs
    except Exception as error:  # the tests will show it; the workers then compile for themselves
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"numba's cache was not warmed before the workers started: {error!r}")


def pytest_terminal_summary(terminalreporter):
    """Report, not assert, how NumPy's own exp, expm1 and log1p compare with the C library's here:
    BLAS mode computes with them, exact mode does not (tests/test_platform.py).  Under xdist the
    controller prints it, once, with the same NumPy as its workers."""
    if hasattr(terminalreporter.config, "workerinput"):  # an xdist worker: its terminal is not shown
        return
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
