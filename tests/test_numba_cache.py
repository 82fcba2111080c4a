"""The element-wise trainer keeps its compiled code in numba's cache, and still works without one."""

import os
import subprocess
import sys

TRAIN = ("import numpy as np, scalar_net; from backprop_lab.config import Config, prepare; "
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


def compiled_anything(done):
    """Whether numba saved newly compiled code (NUMBA_DEBUG_CACHE logs every save)."""
    return "data saved to" in done.stdout


def test_editing_any_module_of_scalar_net_makes_the_cache_stale(tmp_path):
    import scalar_net.activations as module

    log = dict(NUMBA_CACHE_DIR=str(tmp_path), NUMBA_DEBUG_CACHE="1")
    assert compiled_anything(run(**log))
    assert not compiled_anything(run(**log))  # loaded from the cache
    stat = os.stat(module.__file__)
    try:  # an edit, as far as any cache can tell: a newer modification time
        os.utime(module.__file__, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        assert compiled_anything(run(**log))  # the training loop has the activations compiled in
    finally:
        os.utime(module.__file__, ns=(stat.st_atime_ns, stat.st_mtime_ns))
