"""backprop_lab.commands.bench (`backprop-lab bench`) on a synthetic pytest-benchmark JSON: no timing, a second or so."""

import json
import math
import os

import pytest

from backprop_lab.commands import cli
from backprop_lab.commands.bench import command as bench
from backprop_lab.commands.bench import report, results, targets


ABOUT = {"scalar_net": "element-wise, whole loop compiled by numba", "matrix_net": "matrix form, NumPy with BLAS"}


def training(dataset, n, hidden, implementation, seconds, per_sample=False, **extra):
    """One record shaped like those benchmarks/cases.py saves (stats are per epoch)."""
    batch = 1 if per_sample else n
    info = {"workload": f"2-{hidden}-{hidden}-1-{dataset}{n}-{'per-sample' if per_sample else 'full'}",
            "dataset": dataset, "n": n, "hidden": hidden, "sizes": [2, hidden, hidden, 1],
            "batch_size": batch, "implementation": implementation, "unit": "epoch",
            **({"about": ABOUT[implementation]} if implementation in ABOUT else {}), **extra}
    return {"group": "g", "name": f"test[{info['workload']}-{implementation}]", "extra_info": info,
            "stats": {"min": seconds, "median": seconds * 1.1, "mean": seconds * 1.2}}


def digits(hidden, depth, batch, implementation, seconds, **extra):
    """One record of benchmarks/bench_digits.py's: 64-H-10 (depth 1) or 64-H-H-10 on the 1797 digits."""
    sizes = [64, *[hidden] * depth, 10]
    info = {"workload": f"{'-'.join(map(str, sizes))}-digits-{'batch' + str(batch) if batch else 'full'}",
            "dataset": "digits", "n": 1797, "hidden": hidden, "depth": depth, "sizes": sizes,
            "batch_size": batch or 1797, "implementation": implementation, "unit": "epoch", **extra}
    return {"group": "d", "name": f"test_digits[{info['workload']}-{implementation}]", "extra_info": info,
            "stats": {"min": seconds}}


PINNING = ("thread pools pinned to 1 thread: OPENBLAS_NUM_THREADS=1, OMP_NUM_THREADS=1, MKL_NUM_THREADS=1; "
           "torch.set_num_threads(1); threadpoolctl 3.8.0 limits every loaded pool to 1")
OP_COUNT = {"multiply_adds": 7637, "exps": 900, "divisions": 1002, "other_flops": 5900}


def synthetic_run():
    # scalar_net's time grows as H^2 and n; matrix_net's stays flat then grows: one crossover each.
    records = [
        training("linear", 100, 4, "scalar_net", 20e-6, op_count=OP_COUNT),
        training("linear", 100, 4, "matrix_net", 100e-6, slowdown=1.5),
        training("linear", 100, 4, "torch", 1000e-6, cpu_share=0.5),
        training("linear", 100, 4, "jax", 10e-6, cpu_share=1.8),
        training("linear", 100, 4, "scalar_net", 30e-6, per_sample=True),
        training("linear", 100, 4, "matrix_net", 6000e-6, per_sample=True),
        training("linear", 100, 4, "scalar_net-python", 6e-3, inside_seconds_per_epoch=5.9e-3),
        training("xor", 21, 4, "scalar_net", 5e-6),
        training("xor", 21, 4, "matrix_net", 80e-6),
    ]
    for hidden, scalar, matrix in ((16, 200e-6, 150e-6), (64, 3e-3, 400e-6), (256, 50e-3, 2e-3)):
        records += [training("linear", 100, hidden, "scalar_net", scalar),
                    training("linear", 100, hidden, "matrix_net", matrix)]
    for n, scalar, matrix in ((21, 4e-6, 80e-6), (1000, 200e-6, 150e-6), (10_000, 2e-3, 1e-3)):
        records += [training("linear", n, 4, "scalar_net", scalar), training("linear", n, 4, "matrix_net", matrix)]
    records += [{"name": "another project's", "extra_info": {"kind": "other"}, "stats": {"min": 1.0}}]  # skipped
    records += [training("linear", 10_000, 256, "matrix_net", 0.24),
                training("linear", 10_000, 256, "products-only", 0.2)]
    # the digits: matrix_net wins on full batches from H = 16; on mini-batches of 32 it overtakes
    # between H = 16 and 64 (matrix/scalar 2 then 1/2: at 32, halfway in log H)
    records += [digits(16, 1, None, "scalar_net", 3e-3), digits(16, 1, None, "matrix_net", 1.5e-3),
                digits(256, 1, None, "scalar_net", 48e-3), digits(256, 1, None, "matrix_net", 6e-3),
                digits(16, 1, 32, "scalar_net", 3e-3), digits(16, 1, 32, "matrix_net", 6e-3),
                digits(64, 1, 32, "scalar_net", 12e-3), digits(64, 1, 32, "matrix_net", 6e-3),
                digits(256, 2, None, "scalar_net", 300e-3, op_count={"multiply_adds": 300_000_000}),
                digits(256, 2, None, "matrix_net", 20e-3), digits(256, 2, None, "numba_matrix", 240e-3),
                digits(256, 2, None, "torch", 40e-3)]
    records += [{"group": "m", "name": f"rate[{op}]", "extra_info": {"operation": op, "unit": "operation"},
                 "stats": {"min": 1e-9}} for op in ("multiply_adds", "exps", "divisions")]
    records += [{"group": "s", "name": f"startup[{cache}]",
                 "extra_info": {"cache": cache, "import_s": 0.3, "first_epoch_s": wall - 0.35},
                 "stats": {"min": wall}} for cache, wall in (("cold", 5.0), ("cached", 0.5))]
    return {"machine_info": {"cpu": {"brand_raw": "Test CPU", "count": 2}, "python_version": "3.11",
                             "thread_pinning": PINNING},
            "benchmarks": records}


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "run.json"
    path.write_text(json.dumps(synthetic_run()))
    return path


def test_writes_the_report_and_the_plot(saved, tmp_path, capsys):
    out = tmp_path / "report"
    assert cli.main(["bench", str(saved), "--out", str(out)]) == 0
    report = (out / bench.REPORT_NAME).read_text()
    assert (out / bench.PLOT_NAME).read_bytes().startswith(b"\x89PNG")
    assert sorted(p.name for p in out.iterdir()) == sorted([bench.REPORT_NAME, bench.PLOT_NAME])
    assert "Test CPU (2 cores)" in report and "in a single thread" in report
    assert "- test[2-4-4-1-linear100-full-torch]: it got 50% of its core in its fastest round" in report
    assert "- test[2-4-4-1-linear100-full-jax]: it used 180% of a core in its fastest round" in report
    assert "- test[2-4-4-1-linear100-full-matrix_net]: the machine ran 1.50x slower than its best" in report
    ours = sum(1 for r in synthetic_run()["benchmarks"] if r["extra_info"].get("kind") != "other")
    assert f"3 of the {ours} times were measured while other work slowed the machine" in report
    assert "| matrix_net | 100 µs (5.00x) † | 6 ms (200x) | 80 µs (16.0x) |" in report
    assert "| scalar_net-python | 6 ms (300x) |" in report and "linear-100, full batch: 5.9 ms" in report
    assert "scalar_net-python" not in report.split("## Width")[1].split("## Wide")[0]  # one point: no column
    assert "between 4 and 16" in report and "between 100 and 1000" in report
    assert "- `matrix_net`: matrix form, NumPy with BLAS" in report  # what each implementation is
    # 7637 + 900 + 1002 operations at 1 ns each
    assert "| at this machine's scalar rate |  |  | 9.54 µs |" in report
    assert report in capsys.readouterr().out


def test_the_report_goes_beside_the_json_by_default_through_the_command(saved):
    assert cli.main(["bench", str(saved)]) == 0
    umask = os.umask(0)
    os.umask(umask)
    for name in (bench.REPORT_NAME, bench.PLOT_NAME):
        assert (saved.parent / name).stat().st_mode & 0o777 == 0o666 & ~umask  # a new file's usual mode


def test_a_missing_peer_is_not_measured():
    data = synthetic_run()
    data["benchmarks"] = [b for b in data["benchmarks"] if b["name"] != "test[2-4-4-1-linear100-full-torch]"]
    run = results.Run(data["benchmarks"])
    verdicts = {what: (value, met) for what, value, _, met in targets.targets(run)}
    assert verdicts["scalar_net faster than PyTorch eager (lab)"] == (None, None)
    assert verdicts["scalar_net faster than matrix_net (lab, per sample)"] == (200, True)


def test_crossover_is_interpolated_in_log_log():
    # matrix/scalar falls from 2 at x=10 to 1/2 at x=1000: equal at x=100, halfway in log x
    x, text = report.crossover([(10, 1.0, 2.0), (1000, 1.0, 0.5)])
    assert math.isclose(x, 100) and "between 10 and 1000" in text
    assert report.crossover([(10, 1.0, 2.0), (100, 1.0, 1.5)])[0] is None


@pytest.mark.parametrize("content, message", [
    (None, "cannot read"),
    ("{not json", "is not valid JSON"),
    ("[1, 2]", "is not a pytest-benchmark JSON file"),
    (json.dumps({"benchmarks": [{"name": "other", "extra_info": {}, "stats": {"min": 1.0}}]}), "holds no benchmark"),
    ("{}", "--bogus"),
])
def test_bad_input_is_one_line_and_status_2(tmp_path, capsys, content, message):
    path = tmp_path / "in.json"
    if content is not None:
        path.write_text(content)
    extra = ["--bogus"] if message == "--bogus" else []
    assert cli.main(["bench", str(path), "--out", str(tmp_path / "out"), *extra]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("backprop-lab: error: ") and message in captured.err
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err
    assert not (tmp_path / "out").exists()


def test_times_and_tables_read_the_same_in_every_report():
    """backprop_lab.formatting: bench, compare, experiment and the derivations all write with it."""
    from backprop_lab.formatting import duration, markdown_table

    assert [duration(s) for s in (1262.4, 3.994, 0.0123, 6.88e-6, 9.5e-10)] == [
        "1262 s", "3.99 s", "12.3 ms", "6.88 µs", "0.95 ns"]
    assert duration(6.88e-6, ascii=True) == "6.88 us"
    assert markdown_table(["a", "b"], [[1, "x|y"]]) == "| a | b |\n|---|---|\n| 1 | x\\|y |"


# ---------------------------------------------------------------------------------------------
# The report speaks to a student: sentences from the numbers, no goals, narrow tables


def words_of(data):
    return " ".join(report.findings(results.Run(data["benchmarks"], data["machine_info"])))


def retimed(data, name, seconds):
    """The run with the benchmark ``name`` (its workload and implementation) at another time."""
    for record in data["benchmarks"]:
        if record["name"] == name:
            record["stats"]["min"] = seconds
    return data


def test_the_sentences_say_who_wins_where_with_the_runs_numbers():
    words = words_of(synthetic_run())
    assert ("the element-wise trainer (`scalar_net`) is 5.0x faster per epoch than the matrix trainer "
            "(`matrix_net`) on full batches (20 µs against 100 µs) and 200x faster when they update after "
            "every point (30 µs against 6 ms)") in words
    # per sample, 6 ms / 100 steps = 60 µs a step against 100 µs for one step of 100 points
    assert "takes 60 µs on one point and 100 µs on all 100: 100 times the points cost only 1.7x the time" in words
    assert "fixed cost of its NumPy calls" in words
    assert "its epoch takes 20 µs, 2.1x what its 7637 multiply-adds, 900 exps and 1002 divisions cost" in words
    assert "takes over from about H = 13 (the crossover of this run, between 4 and 16)" in words
    assert "at H = 256 it is 25x faster per epoch (2 ms against 50 ms)" in words
    assert "From H = 64 to 256 the weights grow 16x" in words and "grows 17x with them, the matrix trainer's 5.0x" in words
    assert "takes over from about 705 points" in words and "at 10,000 points it is 2.0x faster per epoch" in words
    assert "240 ms an epoch, 1.2x the time of its matrix products alone (200 ms)" in words
    assert "PyTorch, run eagerly, takes 1 ms an epoch at the lab's size: 50x" in words
    assert "JAX, which compiles the whole training loop as numba does, takes 10 µs (2.0x faster than" in words
    assert "5 s the first time (numba compiles the trainer) and 500 ms once numba's cache holds it" in words


def test_other_numbers_give_other_sentences():
    data = retimed(synthetic_run(), "test[2-4-4-1-linear100-full-matrix_net]", 10e-6)  # matrix_net wins at H=4
    data = retimed(data, "test[2-256-256-1-linear100-full-scalar_net]", 1e-3)  # and loses at H=256
    words = words_of(data)
    assert "the matrix trainer (`matrix_net`) is 2.0x faster per epoch on full batches (10 µs against 20 µs)" in words
    assert "the element-wise trainer (`scalar_net`) is 200x faster per epoch when they update" in words
    assert "the matrix trainer is already faster at the smallest size, H = 4" in words
    assert "at H = 256 the element-wise trainer is 2.0x faster per epoch (1 ms against 2 ms)" in words
    assert "5.0x faster" not in words and "H = 13" not in words
    data = retimed(synthetic_run(), "test[2-4-4-1-linear100-full-matrix_net]", 21e-6)  # within 10%
    assert "take about the same time per epoch on full batches (20 µs and 21 µs)" in words_of(data)
    data = retimed(synthetic_run(), "test[2-4-4-1-linear100-per-sample-matrix_net]", 15e-3)  # 150 µs a step
    assert "takes 150 µs on one point and 100 µs on all 100: a step with 100 times the points takes no longer" \
        in words_of(data)


def test_the_report_has_no_goals_no_pinning_notice_and_narrow_tables(saved, tmp_path, capsys):
    out = tmp_path / "report"
    assert cli.main(["bench", str(saved), "--out", str(out)]) == 0
    text = (out / bench.REPORT_NAME).read_text()
    assert "target" not in text.lower() and "missed" not in text and "goal" not in text
    assert "threadpoolctl" not in text and "OPENBLAS" not in text  # the pinning line is the developers'
    tables = [line for line in text.splitlines() if line.startswith("|")]
    assert tables and max(map(len, tables)) <= 120
    summary = "\n".join(report.summary_lines(synthetic_run()["benchmarks"]))
    assert "| scalar_net faster than matrix_net (lab, full batch) | 5.00x | >= 4x | met |" in summary  # the developers'
    assert "| scalar_net's time over JAX's jitted loop (lab) | 2.00x | <= 1.4x | missed by 1.43x |" in summary


def test_a_pool_left_unpinned_is_said():
    data = synthetic_run()
    data["machine_info"]["thread_pinning"] = ("thread pools pinned to 1 thread: OPENBLAS_NUM_THREADS=1 (set after numpy "
                                              "was imported: NumPy's OpenBLAS kept its pool)")
    text = report.markdown(results.Run(data["benchmarks"], data["machine_info"]))
    assert "NumPy's OpenBLAS kept its pool" in text


def test_a_table_too_wide_is_split_keeping_its_first_column():
    header = ["H"] + [f"implementation {k}" for k in range(8)]
    rows = [[4] + [f"{k}.00 ms (1.00x) †" for k in range(8)], [16] + ["-"] * 8]
    tables = report.narrow_tables(header, rows).split("\n\n")
    assert len(tables) > 1
    for table in tables:
        lines = table.splitlines()
        assert max(map(len, lines)) <= report.TABLE_WIDTH and lines[0].startswith("| H |")
    cells = [cell for table in tables for cell in table.splitlines()[0].strip("| ").split(" | ")[1:]]
    assert cells == header[1:]  # every column once, in order


# ---------------------------------------------------------------------------------------------
# The disturbance test: the fastest round, judged by the share of the core it got


@pytest.mark.parametrize("info, disturbed", [
    ({"cpu_share": 0.99, "slowdown": 1.05}, False),  # a quiet machine
    ({"cpu_share": 0.93, "slowdown": 1.2}, False),  # a little noise, in the fastest round too
    ({"cpu_share": 0.5, "slowdown": 1.0}, True),  # a program spinning on the same core
    ({"cpu_share": 1.0, "slowdown": 1.6}, True),  # slowed from outside before and after
    ({"cpu_share": 1.8}, True),  # on two cores
])
def test_a_benchmark_is_flagged_by_its_fastest_rounds_share_or_a_lasting_slowdown(info, disturbed):
    assert bool(results._suspect(info)) == disturbed


class FakeClock:
    """perf_counter and process_time that advance only as a fake round says."""

    def __init__(self):
        self.wall = self.cpu = 0.0

    def perf_counter(self):
        return self.wall

    def process_time(self):
        return self.cpu


def test_the_share_judged_is_that_of_the_fastest_round(monkeypatch):
    from benchmarks import timing

    clock = FakeClock()
    monkeypatch.setattr(timing, "time", clock)
    # (wall, CPU) of three rounds: two slowed by another program, one whole; the fastest is whole
    rounds = iter([(0.10, 0.05), (0.06, 0.06), (0.09, 0.03)])

    def run(units):
        wall, cpu = next(rounds)
        clock.wall += wall
        clock.cpu += cpu

    timed = timing.RoundTimes(run)
    for _ in range(3):
        timed(1)
    assert timed.fastest_share() == 1.0
    assert timed.share() == pytest.approx(0.14 / 0.25)  # what the first version judged: 0.56, "disturbed"


def test_the_digits_section_says_by_how_much_the_matrix_form_wins_and_from_where(saved, tmp_path):
    words = words_of(synthetic_run())
    assert ("**Real data** (the 1,797 handwritten digits, 64 inputs and 10 classes, softmax outputs): "
            "64-H-10, full batch: the matrix trainer is already faster at the smallest size, H = 16; "
            "at H = 256 the matrix trainer is 8.0x faster per epoch (6 ms against 48 ms); "
            "64-H-10, mini-batches of 32: the matrix trainer takes over from about H = 32 "
            "(the crossover of this run, between 16 and 64); at H = 64 it is 2.0x faster per epoch") in words
    assert "64-256-256-10, full batch: the matrix trainer is 15x faster per epoch (20 ms against 300 ms)" in words
    assert ("the matrix form wins by up to 15x on real data (64-256-256-10, full batch), against the lab's 2-4-4-1 "
            "on 100 points, where the element-wise trainer is 5.0x faster and the crossover in width on two "
            "inputs is about H = 13") in words
    # 300 ms / 3e8 multiply-adds = 1 ns each, the rate of the ordered loop (1 ns): 1.0x
    assert "64-256-256-10, full batch, is 300,000,000 multiply-adds" in words and "in 300 ms (1 ns each, 1.0x the 1 ns of" in words
    assert "its epoch takes 20 ms, 0.0667 ns a multiply-add" in words
    # 6 ms over ceil(1797 / 32) = 57 steps
    assert ("On mini-batches of 32 an epoch is 57 steps: at 64-16-10 a step of the matrix trainer on 32 images takes "
            "105 µs, and a whole epoch on all 1,797 as one batch 1.5 ms") in words
    assert ("(`numba_matrix`) takes 240 ms there, 0.8x the element-wise trainer's time and 12x the matrix trainer's: "
            "most of the gain is BLAS's") in words
    out = tmp_path / "report"
    assert cli.main(["bench", str(saved), "--out", str(out)]) == 0
    text = (out / bench.REPORT_NAME).read_text()
    section = text.split("## Real data")[1].split("\n## ")[0]
    assert "| 64-256-256-10, full batch | 300 ms | 20 ms (0.07x) | 240 ms (0.80x) | 40 ms (0.13x) |" in section
    assert "| 64-16-10, mini-batches of 32 | 3 ms | 6 ms (2.00x) | - | - |" in section
    assert "Crossover, 64-H-10, mini-batches of 32: matrix_net overtakes scalar_net between 16 and 64 (about 32)." \
        in section
    assert "Crossover, 64-H-10, full batch: matrix_net is already faster at the smallest size (16)." in section
    assert "Crossover, 64-H-10, mini-batches of 32: matrix_net overtakes" in "\n".join(
        report.summary_lines(synthetic_run()["benchmarks"]))  # the developers' summary too


def test_a_run_without_the_digits_has_no_digits_section():
    data = synthetic_run()
    data["benchmarks"] = [b for b in data["benchmarks"] if b["extra_info"].get("dataset") != "digits"]
    run = results.Run(data["benchmarks"], data["machine_info"])
    assert "Real data" not in report.markdown(run) and "Real data" not in " ".join(report.findings(run))
