"""The element-wise trainer keeps its compiled code in numba's cache, and still works without one."""

import os
import subprocess
import sys

TRAIN = ("import numpy as np, scalar_net; from backprop_lab.compare import Config, prepare; "
         "X, Y, p = prepare(Config()); r = scalar_net.train(p, X, Y, lr=1.0, epochs=100); "
         "print(repr(float(r.loss[-1])))")


def run(**env):
    done = subprocess.run([sys.executable, "-c", TRAIN], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **env})
    assert done.returncode == 0, done.stderr
    return done


def test_trains_when_no_cache_location_is_usable():
    # Numba tries each locator class in turn and, when none can hold the cache (a read-only
    # install and an unwritable home), refuses cache=True.  Offering only the locator for
    # zipped sources, which never applies here, is that situation.
    situation = dict(NUMBA_CACHE_LOCATOR_CLASSES="ZipCacheLocator")
    probe = ("import numba, scalar_net.backprop as b\n"
             "try:\n    numba.njit(cache=True)(lambda x: x)\nexcept RuntimeError:\n    print('refused')\n"
             "print(type(b.forward._cache).__name__)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          env={**os.environ, **situation}, timeout=300)
    assert done.stdout.split() == ["refused", "NullCache"]  # numba refuses; we compile in memory
    without = run(**situation)
    assert "Traceback" not in without.stderr
    assert without.stdout == run().stdout


def test_a_fresh_process_reuses_the_cache(tmp_path):
    first = run(NUMBA_CACHE_DIR=str(tmp_path))
    cached = sorted(p.name for p in tmp_path.rglob("*.nbi"))
    assert any(name.startswith("training.train_loop") for name in cached)
    again = run(NUMBA_CACHE_DIR=str(tmp_path))
    assert again.stdout == first.stdout
    assert sorted(p.name for p in tmp_path.rglob("*.nbi")) == cached  # nothing new compiled
