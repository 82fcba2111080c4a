"""Loaded by pytest before every other conftest.py, so before anything imports NumPy.

A timed benchmark session (``pytest --benchmark-only``) pins every thread pool to one thread
here: OpenBLAS reads its thread count only when NumPy loads it.
"""

import sys

from benchmarks import pinning

if pinning.timed_session(sys.argv):
    pinning.set_environment()
