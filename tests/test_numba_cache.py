"""The element-wise trainer keeps its compiled code in numba's cache, and still works without one."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import scalar_net

PACKAGE = Path(scalar_net.__file__).parent

#: compare in a fresh process, first printing which scalar_net it imported (a copy, in the tests
#: that run it in the copy's folder: the current folder comes first on sys.path).
COMPARE = ("import runpy, sys, scalar_net; print(scalar_net.__file__); "
           "sys.argv = ['backprop-lab', 'compare', '--epochs', '100', '--report-every', '100', '--print-samples', '0']; "
           "runpy.run_module('backprop_lab', run_name='__main__')")


def run(cwd=None, **env):
    done = subprocess.run([sys.executable, "-c", COMPARE], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **env}, cwd=cwd)
    assert done.returncode == 0, done.stderr
    return done


def compile_line(done):
    return next(line for line in done.stdout.splitlines() if line.startswith("compile time"))


def losses(done):
    """What compare printed of the training itself: every line but the times."""
    return [line for line in done.stdout.splitlines()[1:]
            if not line.startswith(("compile time", "time per epoch", "[cache]"))]  # [cache]: NUMBA_DEBUG_CACHE's log


@pytest.mark.early  # long: started right after the long runs (tests/conftest.py)
def test_trains_when_no_cache_location_is_usable_and_says_so():
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
    assert "(numba compiled it; it has no cache folder it can write, so every run compiles again)" in compile_line(without)
    assert losses(without) == losses(run())


def compiled_anything(done):
    """Whether numba saved newly compiled code (NUMBA_DEBUG_CACHE logs every save)."""
    return "data saved to" in done.stdout


@pytest.mark.early  # long: started right after the long runs (tests/conftest.py)
def test_a_fresh_process_reuses_the_cache_until_any_module_of_scalar_net_changes_and_compare_says_which(tmp_path):
    # On a copy of scalar_net, imported from the folder it runs in: the processes of the other
    # tests (under xdist, at the same time) keep seeing the real, unedited one.
    folder, cache = tmp_path / "run", tmp_path / "cache"
    shutil.copytree(PACKAGE, folder / "scalar_net", ignore=shutil.ignore_patterns("__pycache__"))
    module = folder / "scalar_net" / "activations.py"
    log = dict(NUMBA_CACHE_DIR=str(cache), NUMBA_DEBUG_CACHE="1")
    first = run(cwd=folder, **log)
    assert str(module.parent) in first.stdout.splitlines()[0]  # the copy is the scalar_net that ran
    assert compiled_anything(first)
    assert "(numba compiled it and saved it in its cache: the next run loads it from there)" in compile_line(first)
    cached = sorted(p.name for p in cache.rglob("*.nbi"))
    assert any(name.startswith("training.train_loop") for name in cached)
    again = run(cwd=folder, **log)
    assert not compiled_anything(again)  # loaded from the cache
    assert "(loaded from numba's cache, where an earlier run saved it)" in compile_line(again)
    assert losses(again) == losses(first)
    assert sorted(p.name for p in cache.rglob("*.nbi")) == cached
    stat = os.stat(module)
    # an edit, as far as any cache can tell: a newer modification time
    os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    edited = run(cwd=folder, **log)
    assert compiled_anything(edited)  # the training loop has the activations compiled in
    assert "(numba compiled it and saved it in its cache" in compile_line(edited)
