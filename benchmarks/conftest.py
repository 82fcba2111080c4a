"""Set-up for the benchmarks (the root conftest.py pins thread pools before numpy loads):
``--benchmark-only`` taken as asking for timings, machine details saved with the JSON, and a per-epoch summary at the end.
"""

import importlib.metadata

import pytest

from benchmarks import pinning

from benchmarks import timing  # noqa: E402  (the root conftest.py has set the thread variables)

LIBRARIES = ("numpy", "numba", "llvmlite", "scipy", "torch", "jax", "jaxlib", "pytest-benchmark", "threadpoolctl")


def pytest_configure(config):
    # pyproject's addopts carry --benchmark-disable, so that plain `pytest` runs every benchmark
    # once as a quick test; pytest-benchmark refuses --benchmark-only next to it.  Asking for
    # --benchmark-only is asking for timings: enable them.
    if config.getoption("benchmark_only", default=False):
        config.option.benchmark_enable = True
    if config.getoption("benchmark_enable", default=False):
        pinning.pin_to_one_core()  # a timed session only: plain pytest keeps both cores


def pytest_report_header(config):
    if config.getoption("benchmark_enable", default=False):
        return f"benchmarks: {pinning.describe()}"
    return "benchmarks: run once each as tests (pytest --benchmark-only times them)"


def pytest_benchmark_update_machine_info(config, machine_info):
    machine_info["thread_pinning"] = pinning.describe()
    machine_info["thread_pools"] = pinning.pool_report()
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            pass
    machine_info["libraries"] = versions


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter):
    if not timing.RECORDS:
        return
    from backprop_lab.commands.bench import report as bench

    terminalreporter.section("time per epoch, fastest round (full report: backprop-lab bench JSON)")
    terminalreporter.write_line(pinning.describe())
    for line in bench.summary_lines(timing.RECORDS):
        terminalreporter.write_line(line)
