"""backprop_lab.commands.bench (`backprop-lab bench`) on a synthetic pytest-benchmark JSON: no timing, a second or so."""

import json
import math
import os

import pytest

from backprop_lab.commands import cli
from backprop_lab.commands.bench import command as bench
from backprop_lab.commands.bench import report, results


def training(dataset, n, hidden, implementation, seconds, per_sample=False, **extra):
    """One record shaped like those benchmarks/cases.py saves (stats are per epoch)."""
    batch = 1 if per_sample else n
    info = {"workload": f"2-{hidden}-{hidden}-1-{dataset}{n}-{'per-sample' if per_sample else 'full'}",
            "dataset": dataset, "n": n, "hidden": hidden, "sizes": [2, hidden, hidden, 1],
            "batch_size": batch, "implementation": implementation, "unit": "epoch", **extra}
    return {"group": "g", "name": f"test[{info['workload']}-{implementation}]", "extra_info": info,
            "stats": {"min": seconds, "median": seconds * 1.1, "mean": seconds * 1.2}}


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
    records += [{"group": "m", "name": f"rate[{op}]", "extra_info": {"operation": op, "unit": "operation"},
                 "stats": {"min": 1e-9}} for op in ("multiply_adds", "exps", "divisions")]
    records += [{"group": "s", "name": f"startup[{cache}]",
                 "extra_info": {"cache": cache, "import_s": 0.3, "first_epoch_s": wall - 0.35},
                 "stats": {"min": wall}} for cache, wall in (("cold", 5.0), ("cached", 0.5))]
    return {"machine_info": {"cpu": {"brand_raw": "Test CPU", "count": 2}, "python_version": "3.11",
                             "thread_pinning": "pinned to 1"},
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
    assert "Test CPU (2 cores)" in report and "pinned to 1" in report
    assert "- test[2-4-4-1-linear100-full-torch]: got 50% of a core: too slow" in report
    assert "- test[2-4-4-1-linear100-full-jax]: used 180% of a core: too fast" in report
    assert "- test[2-4-4-1-linear100-full-matrix_net]: the machine ran 1.50x slower than its best" in report
    assert "3 benchmarks were disturbed" in report
    assert "| matrix_net | 100 µs (5.00x) † | 6 ms (200x) | 80 µs (16.0x) |" in report
    assert "| scalar_net-python | 6 ms (300x) |" in report and "linear-100, full batch: 5.9 ms" in report
    assert "scalar_net-python" not in report.split("## Width")[1].split("## Wide")[0]  # one point: no column
    assert "between 4 and 16" in report and "between 100 and 1000" in report
    assert "| scalar_net faster than matrix_net (lab, full batch) | 5.00x | >= 4x | met |" in report
    assert "| scalar_net's time over JAX's jitted loop (lab) | 2.00x | <= 1.4x | missed by 1.43x |" in report
    assert "| matrix_net faster than PyTorch eager (lab) | 10.0x | >= 8x | met |" in report
    assert "| matrix_net over its products alone (2-256-256-1, n=10000) | 1.20x | <= 1.3x | met |" in report
    assert "start to first epoch trained | 0.5 s | <= 0.6 s | met |" in report
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
    verdicts = {what: (value, met) for what, value, _, met in report.targets(run)}
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
