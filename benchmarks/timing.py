"""Per-epoch times from pytest-benchmark, compilation excluded.

``time_per_unit`` runs the prepared function once untimed (numba loads or compiles, JAX
compiles, caches warm up), picks how many epochs make a round last about ROUND_SECONDS, and
times rounds of that many epochs with ``benchmark.pedantic``, every thread pool pinned to one
thread.  The timer handed to pytest-benchmark (``CLOCK``, set by ``mark``) divides
``perf_counter`` by the epochs in a round, so every number pytest-benchmark prints or saves is
per epoch (per operation for the scalar-rate benchmarks), and one group's table compares the
implementations directly even though they run different numbers of epochs per round.

On a shared machine other processes can take the core, or slow it down from outside (another
virtual machine on the same host: the process still gets its whole core, only a slower one).
Before timing, each benchmark waits (up to PATIENCE_SECONDS) until this process gets a whole
core and a fixed piece of work (``probe_slowdown``) runs as fast as it has in this session.

What the report shows is the fastest round, so that is the round to judge: a disturbance that
hits some rounds and not the fastest one does not change the result.  Each round's wall and CPU
time are kept, and extra_info saves ``cpu_share``, the share of a core the process got during its
fastest round (1.0: nothing else ran on the core; 0.5: another program had half of it), and
``slowdown``, how much slower than its fastest the probe ran both just before and just after the
benchmark (the smaller of the two: a machine slowed from outside for the whole benchmark slows
both; a probe that happens to run slow once does not).  The bench report flags a benchmark when
either says it was disturbed (backprop_lab/commands/bench/results.py).

The first version judged the share over all rounds and the larger of the two probes: on a
virtual machine whose host lends the core to others now and then (steal time), one short dip in
one round, or one slow probe, flagged benchmarks whose fastest round was undisturbed.

Under plain ``pytest`` (benchmarks disabled) the function runs once, for one epoch.
"""

import math
import time

import pytest

from benchmarks.pinning import pinned

ROUND_SECONDS = 0.05  # one round: a few ms at the least, ~0.2 s at most (one epoch can be longer)
TIMED_SECONDS = 1.0  # the timed rounds of one benchmark, all together
MIN_ROUNDS, MAX_ROUNDS = 3, 20
MAX_UNITS = 1_000_000
QUIET_SHARE = 0.95  # of a core, this process's share that counts as "nobody else is running"
QUIET_SLOWDOWN = 1.1  # the probe this much slower than its fastest: the machine is busy
PATIENCE_SECONDS = 5.0

#: What each timed benchmark recorded, for the summary conftest prints after pytest-benchmark's tables.
RECORDS = []


class PerUnitClock:
    """``perf_counter() / units``: a pytest-benchmark timer whose durations are per unit of work."""

    def __init__(self):
        self.units = 1
        self.__name__ = "perf_counter_per_unit"  # as pytest-benchmark saves it in the JSON

    def __call__(self):
        return time.perf_counter() / self.units


CLOCK = PerUnitClock()


def mark(group):
    """The benchmark mark of one workload: its group and the per-epoch clock."""
    return pytest.mark.benchmark(group=group, timer=CLOCK)


def _seconds(run, units):
    start = time.perf_counter()
    run(units)
    return time.perf_counter() - start


def _calibrate(run):
    """(units per round, expected seconds per round) so that a round lasts about ROUND_SECONDS."""
    units = 1
    elapsed = _seconds(run, units)
    while elapsed < ROUND_SECONDS / 5 and units < MAX_UNITS:
        units = min(MAX_UNITS, max(2 * units, math.ceil(units * ROUND_SECONDS / 5 / max(elapsed, 1e-7))))
        elapsed = _seconds(run, units)
    per_unit = elapsed / units
    units = max(1, min(MAX_UNITS, round(ROUND_SECONDS / per_unit)))
    return units, units * per_unit


def cpu_share(seconds=0.05):
    """The share of a core this process gets while spinning for ``seconds`` (1 on an idle core)."""
    wall, cpu = time.perf_counter(), time.process_time()
    while time.perf_counter() - wall < seconds:
        pass
    return (time.process_time() - cpu) / (time.perf_counter() - wall)


_fastest_probe = math.inf


def probe_slowdown(repeats=3):
    """How much slower than its fastest in this session a fixed ~20 ms of Python runs now (the
    fastest of ``repeats`` tries: one alone varies by 15% on a quiet machine)."""
    global _fastest_probe
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        total = 0
        for i in range(300_000):
            total += i
        times.append(time.perf_counter() - start)
    _fastest_probe = min(_fastest_probe, *times)
    return min(times) / _fastest_probe


def _quiet():
    return cpu_share() >= QUIET_SHARE and probe_slowdown() <= QUIET_SLOWDOWN


def wait_until_quiet():
    """Wait until the machine looks quiet, PATIENCE_SECONDS at most; return the wait."""
    if _fastest_probe == math.inf:
        probe_slowdown()  # a first reference
    start = time.perf_counter()
    while not _quiet() and time.perf_counter() - start < PATIENCE_SECONDS:
        time.sleep(0.5)
    return time.perf_counter() - start


def time_per_unit(benchmark, run, unit_size=1):
    """Time ``run(units)`` per unit of work (``unit_size`` operations per unit); return the
    result of the first, untimed call."""
    if benchmark.disabled:
        return benchmark.pedantic(run, args=(1,))
    result = run(1)  # compile or load from cache, warm up: not timed
    waited = wait_until_quiet()
    before = probe_slowdown()
    timed = RoundTimes(run)
    with pinned():
        units, round_seconds = _calibrate(run)
        rounds = min(MAX_ROUNDS, max(MIN_ROUNDS, int(TIMED_SECONDS / round_seconds)))
        CLOCK.units = units * unit_size
        try:
            benchmark.pedantic(timed, args=(units,), rounds=rounds)
        finally:
            CLOCK.units = 1
    after = probe_slowdown()
    benchmark.extra_info.update(units_per_round=units, waited_for_quiet_s=round(waited, 2),
                                slowdown=round(min(before, after), 3),
                                slowdown_before_after=[round(before, 3), round(after, 3)])
    benchmark.extra_info["cpu_share"] = round(timed.fastest_share(), 3)
    benchmark.extra_info["cpu_share_all_rounds"] = round(timed.share(), 3)
    record(benchmark)
    return result


class RoundTimes:
    """``run`` with each call's wall and CPU time kept: the rounds pytest-benchmark times.  The
    two clocks add about a microsecond to rounds of ~50 ms.  A run whose work is done in another
    process (``run.last_inside``: that call's wall and CPU seconds there, pure_python.py) is
    judged by that process's times."""

    def __init__(self, run):
        self.run, self.rounds = run, []  # [(wall seconds, the (wall, CPU) seconds that count)] per call

    def __call__(self, units):
        wall, cpu = time.perf_counter(), time.process_time()
        result = self.run(units)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        self.rounds.append((wall, getattr(self.run, "last_inside", None) or (wall, cpu)))
        return result

    def fastest_share(self):
        """The share of a core the work got during the fastest round."""
        _, (wall, cpu) = min(self.rounds, key=lambda r: r[0])
        return cpu / wall

    def share(self):
        """The share of a core over every round (kept for comparison; not what is judged)."""
        return sum(cpu for _, (_, cpu) in self.rounds) / sum(wall for _, (wall, _) in self.rounds)


def record(benchmark):
    """Keep a timed benchmark for the summary (its extra_info may still be filled in after)."""
    if not benchmark.disabled and benchmark.stats is not None:
        RECORDS.append({"group": benchmark.group, "name": benchmark.name, "extra_info": benchmark.extra_info,
                        "stats": benchmark.stats.stats.as_dict()})
