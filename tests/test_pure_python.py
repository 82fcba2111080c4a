"""One source, two runs: numba-compiled and, under NUMBA_DISABLE_JIT=1, plain Python.

The pure-Python run is the baseline the compiled one is timed against; it must be the same
computation, so its weights must be the same bits.
"""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import elementwise_run

HERE = Path(__file__).parent


def run_script(tmp_path, **env):
    out = tmp_path / "weights.npz"
    subprocess.run([sys.executable, str(HERE / "elementwise_run.py"), str(out)], check=True,
                   env={**os.environ, **env}, timeout=300)
    with np.load(out) as saved:
        return dict(saved)


def test_the_pure_python_run_really_is_pure_python():
    probe = "import scalar_net.backprop as b, numba; print(isinstance(b.forward, numba.core.registry.CPUDispatcher))"
    compiled = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    plain = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                           env={**os.environ, "NUMBA_DISABLE_JIT": "1"})
    assert (compiled.stdout.strip(), plain.stdout.strip()) == ("True", "False")


@pytest.mark.exactness
def test_compiled_and_pure_python_runs_give_bitwise_the_same_weights(tmp_path):
    pure = run_script(tmp_path, NUMBA_DISABLE_JIT="1")
    compiled = elementwise_run.weights()
    assert pure.keys() == compiled.keys()
    for name in compiled:
        np.testing.assert_array_equal(pure[name], compiled[name], err_msg=name)
