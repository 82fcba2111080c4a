"""Loaded by pytest before every other conftest.py, so before anything imports NumPy.

A timed benchmark session (``pytest --benchmark-only``) pins every thread pool to one thread
here: OpenBLAS reads its thread count only when NumPy loads it.

Every other session runs on every core: pytest-xdist, one worker a core (``-n auto``), hands
out one test at a time, or one group of tests marked ``xdist_group`` that share work done once
in a process, in the order they were collected (``--dist loadgroup``, not reordered;
tests/conftest.py puts the long exact-mode runs first).  That is a default set here, not in
pyproject's ``addopts``, for three reasons: a timed session must stay in one process
(pytest-benchmark times nothing under xdist), ``-p no:xdist`` must still work, and a worker must
not start workers of its own.  ``-n 0`` runs in one process; ``-n N`` and ``--dist`` are kept.
"""

import os
import sys

import pytest

from benchmarks import pinning

if pinning.timed_session(sys.argv):
    pinning.set_environment()


def _in_one_process(config):
    """Whether this session must not start workers."""
    return (hasattr(config, "workerinput") or "PYTEST_XDIST_WORKER" in os.environ  # a worker, or a pytest it started
            or config.getoption("benchmark_only", False) or config.getoption("benchmark_enable", False)
            or config.getoption("collectonly") or config.getoption("usepdb"))


@pytest.hookimpl(tryfirst=True)  # before xdist's own, which turns these options into workers
def pytest_cmdline_main(config):
    if not config.pluginmanager.hasplugin("xdist") or _in_one_process(config):
        return
    if config.option.numprocesses is None:
        config.option.numprocesses = "auto"
    if config.option.numprocesses and config.option.dist == "no":
        config.option.dist = "loadgroup"
        config.option.loadscopereorder = False  # in the order collected, not the largest group first
