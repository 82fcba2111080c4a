"""A student's own backpropagation, checked entry by entry and diagnosed: ``backprop-lab check``.

From Python::

    from backprop_lab.check import check_gradients
    report = check_gradients(my_gradients, forward=my_forward)   # the lab's 2-4-4-1 sigmoid net, MSE
    print(report)            # what `backprop-lab check` prints
    report.ok                # True, False, or None when it could not be checked
    report.to_json()         # what `backprop-lab check --json` writes

``my_gradients(params, X, y)`` returns ``[dL/dW1, dL/db1, ...]`` shaped like ``params``; the
layouts (rows, or columns with ``columns=True``) are in backprop_lab.check.layouts, the loss and
its constant in backprop_lab.conventions.  ``check_file`` runs a file's functions in a child
process with a time limit, as the command does.  Nothing here is imported by the shared ground.
"""

import os

from backprop_lab import options
from backprop_lab.check.layouts import layout as _layout
from backprop_lab.check.problem import Network
from backprop_lab.check.report import CANNOT_CHECK, RIGHT, WRONG, Report

#: The seed a check uses unless told otherwise: compare's default.
DEFAULT_SEED = 1
#: Seconds a student's file may run, in all, before the check stops it.
DEFAULT_TIMEOUT = 30.0

__all__ = ["check_gradients", "check_file", "compare_files", "Network", "Report", "RIGHT", "WRONG", "CANNOT_CHECK"]


def _network(hidden, bias, activation, loss, leaky_slope):
    return Network((2, *hidden, 1), bias, activation, loss, leaky_slope)


def check_gradients(fn, *, forward=None, hidden=(4, 4), bias=True, activation="sigmoid", loss="mse",
                    columns=False, seed=DEFAULT_SEED, leaky_slope=options.DEFAULT_LEAKY_SLOPE):
    """Check the function ``fn(params, X, y) -> [dL/dW1, dL/db1, ...]`` (and ``forward(params, X)
    -> ŷ`` if given) in this process; the Report, which prints as the command does."""
    from backprop_lab.check.checking import run_check
    from backprop_lab.check.student import InProcess

    network = _network(hidden, bias, activation, loss, leaky_slope)
    code = getattr(fn, "__code__", None)
    source = code.co_filename if code is not None and os.path.isfile(code.co_filename) else None  # not a notebook's
    return run_check(InProcess(fn, forward), network, _layout(columns), seed,
                     file=f"{getattr(fn, '__name__', 'gradients')}()", source=source)


def check_file(path, *, hidden=(4, 4), bias=True, activation="sigmoid", loss="mse", columns=False,
               seed=DEFAULT_SEED, leaky_slope=options.DEFAULT_LEAKY_SLOPE, timeout=DEFAULT_TIMEOUT):
    """Check the functions ``gradients`` and ``forward`` of the Python file at ``path``, run in a
    child process that is stopped after ``timeout`` seconds; the Report."""
    from backprop_lab.check.checking import run_check
    from backprop_lab.check.runner import StudentProcess
    from backprop_lab.check.student import InChild

    network = _network(hidden, bias, activation, loss, leaky_slope)
    with StudentProcess(path, timeout) as process:
        return run_check(InChild(process), network, _layout(columns), seed, file=str(path), source=str(path))


def compare_files(first, second, **options):
    """Check two files (the keyword arguments of check_file) and compare their gradients with each
    other: backprop_lab.check.pair.Comparison."""
    from backprop_lab.check.pair import compare

    return compare(check_file(first, **options), check_file(second, **options))
