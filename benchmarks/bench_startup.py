"""Compilation on its own: a fresh process that imports scalar_net and trains one epoch, with an
empty numba cache (it compiles) and with a filled one (it loads).  Wall time from starting the
process to its exit; the import and the first call, timed inside the fastest process, go to
extra_info.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from benchmarks import timing

SCRIPT = Path(__file__).with_name("startup.py")
GROUP = "startup: fresh process, import scalar_net, train 1 epoch (wall time per process)"


def _fresh_process(cache_dir, reports):
    """Run startup.py with numba's cache in ``cache_dir`` (None: where this session keeps it)."""
    env = dict(os.environ) if cache_dir is None else dict(os.environ, NUMBA_CACHE_DIR=str(cache_dir))
    env.pop("NUMBA_DISABLE_JIT", None)
    done = subprocess.run([sys.executable, str(SCRIPT)], env=env, capture_output=True, text=True)
    if done.returncode:
        pytest.fail(f"{SCRIPT.name} failed (exit status {done.returncode}):\n{done.stderr}")
    reports.append(json.loads(done.stdout.splitlines()[-1]))


#: A cache folder the cold test left filled, for the cached test to load from.
_filled = []


@pytest.mark.benchmark(group=GROUP)
@pytest.mark.xdist_group("startup")  # on one xdist worker, so that "cached" finds the cache "cold" filled
@pytest.mark.parametrize("cache", ["cold", "cached"])
def test_startup(benchmark, cache, tmp_path):
    reports = []
    if benchmark.disabled:  # plain pytest: does the script run, and load the cache this session filled?
        if cache == "cold":
            pytest.skip("a cold start is one whole compile (15 s); it is timed under --benchmark-only")
        _filled.append(None)
    else:
        timing.wait_until_quiet()
    if cache == "cold":
        def setup():  # an empty cache for every round
            _filled.append(Path(tempfile.mkdtemp(dir=tmp_path)))
            return (_filled[-1], reports), {}
        benchmark.pedantic(_fresh_process, setup=setup, rounds=2)
        assert all(r["cache_misses"] > 0 and r["cache_hits"] == 0 for r in reports), reports
    else:
        if not _filled:
            _filled.append(tmp_path)
            _fresh_process(tmp_path, [])  # fill the cache
        benchmark.pedantic(_fresh_process, args=(_filled[-1], reports), rounds=3)
        assert all(r["cache_hits"] > 0 and r["cache_misses"] == 0 for r in reports), reports
    fastest = min(reports, key=lambda r: r["import_s"] + r["first_epoch_s"])  # as the bench report shows the min
    benchmark.extra_info.update(cache=cache, unit="process", import_s=fastest["import_s"],
                                first_epoch_s=fastest["first_epoch_s"])
    timing.record(benchmark)
