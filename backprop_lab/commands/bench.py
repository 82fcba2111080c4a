"""Turn a saved benchmark run into a Markdown report and a PNG: which form is faster, at which sizes.

    pytest --benchmark-only --benchmark-json=bench.json
    python -m backprop_lab.commands.bench bench.json [--out DIR]      (backprop-lab bench ...)

Reads the JSON that pytest-benchmark saves for benchmarks/ (every time in it is per epoch, or
per operation: see benchmarks/timing.py) and writes ``DIR/benchmarks.md`` (the tables, the
crossovers and the target ratios, all from that one run) and ``DIR/benchmarks.png`` (time per
epoch against width and against batch size, log scales, crossovers marked).  DIR defaults to
the JSON's folder; both are written whole, or neither (backprop_lab.files).  Bad input (a file
that is not such a JSON, a field of the wrong type, named; an --out that cannot be written):
one line on stderr, exit status 2, before anything is written; a write that fails on the way
(a full disk): one line, exit status 1, and the old files as they were.
"""

import argparse
import json
import math
import sys
from pathlib import Path

from backprop_lab import files
from backprop_lab.commands.cli import OneLineParser

REPORT_NAME = "benchmarks.md"
PLOT_NAME = "benchmarks.png"
SCALAR, MATRIX, PRODUCTS = "scalar_net", "matrix_net", "products-only"
STATISTIC = "min"  # of the rounds: other processes only ever add time (see benchmarks/timing.py)
DISTURBED_SHARE = 0.9  # a benchmark that got less of a core than this while timed is flagged,
MORE_THAN_ONE_CORE = 1.1  # one that used more than one,
DISTURBED_SLOWDOWN = 1.25  # and one next to which benchmarks/timing.py's probe ran this much slower
ORDER = (SCALAR, "scalar_net-python", MATRIX, "matrix_net-exact", "numba_matrix", "torch", "jax", PRODUCTS)


class ReportError(Exception):
    """A one-line explanation of why the input cannot be reported on."""


class _Parser(OneLineParser):
    """The CLI's parser (no abbreviations, no repeated options), its errors as ReportError."""

    def error(self, message):
        raise ReportError(message)


# ---------------------------------------------------------------------------------- checking


def _text(value):
    return isinstance(value, str)


def _count(value):
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _seconds(value):
    return _number(value) and value > 0


def _optional(check):
    return lambda value: value is None or check(value)


def _mapping_of(check):
    return lambda value: isinstance(value, dict) and all(_text(k) and check(v) for k, v in value.items())


#: What each field of a record must hold: (key, check, what the check wants).  Keys of extra_info
#: by kind of benchmark; a record that is none of these kinds is not ours and is skipped.
_RECORD = (("name", _text, "a string"), ("extra_info", lambda v: isinstance(v, dict), "an object"),
           ("stats", lambda v: isinstance(v, dict), "an object"))
_STATS = (("min", _seconds, "a positive finite number of seconds"),)
_TRAINING = (("workload", _text, "a string"), ("implementation", _text, "a string"),
             ("dataset", _text, "a string"), ("n", _count, "a positive integer"),
             ("hidden", _count, "a positive integer"), ("batch_size", _count, "a positive integer"))
_OPTIONAL = (("op_count", _mapping_of(lambda v: _number(v) and v >= 0), "an object of operation counts"),
             ("inside_seconds_per_epoch", _seconds, "a positive finite number of seconds"),
             ("cpu_share", _number, "a finite number"), ("slowdown", _number, "a finite number"),
             ("import_s", _optional(_number), "a finite number"),
             ("first_epoch_s", _optional(_number), "a finite number"))
_KINDS = {"implementation": _TRAINING, "operation": (("operation", _text, "a string"),),
          "cache": (("cache", _text, "a string"),)}
_MACHINE = (("cpu", lambda v: isinstance(v, dict), "an object"),
            ("libraries", _mapping_of(_text), "an object of names and versions"),
            ("python_version", _text, "a string"), ("processor", _text, "a string"),
            ("thread_pinning", _text, "a string"))
_CPU = (("brand_raw", _text, "a string"), ("count", _count, "a positive integer"))


def _check_fields(mapping, fields, where, required=True):
    for key, check, wanted in fields:
        if key not in mapping:
            if required:
                raise ReportError(f"{where}: the field {key!r} is missing")
            continue
        if not check(mapping[key]):
            raise ReportError(f"{where}.{key} must be {wanted}, not {json.dumps(mapping[key])[:40]}")


def check_shape(data):
    """Raise ReportError naming the first field of a parsed pytest-benchmark file that is not of
    the shape this report reads; fields of records that are not ours are not looked at."""
    if not isinstance(data, dict) or not isinstance(data.get("benchmarks"), list):
        raise ReportError("it is not a pytest-benchmark JSON file (no list of benchmarks)")
    machine = data.get("machine_info", {})
    if not isinstance(machine, dict):
        raise ReportError("machine_info must be an object")
    _check_fields(machine, _MACHINE, "machine_info", required=False)
    _check_fields(machine.get("cpu", {}), _CPU, "machine_info.cpu", required=False)
    for i, record in enumerate(data["benchmarks"]):
        where = f"benchmarks[{i}]"
        if not isinstance(record, dict):
            raise ReportError(f"{where} must be an object")
        _check_fields(record, _RECORD, where)
        info = record["extra_info"]
        kinds = [key for key in _KINDS if key in info]
        if not kinds:
            continue  # another project's benchmark
        _check_fields(record["stats"], _STATS, f"{where}.stats")
        _check_fields(info, _KINDS[kinds[0]], f"{where}.extra_info")
        _check_fields(info, _OPTIONAL, f"{where}.extra_info", required=False)


# ---------------------------------------------------------------------------------- reading


class Run:
    """The per-epoch times of one benchmark run, indexed by workload and implementation."""

    def __init__(self, records, machine_info=None):
        self.times = {}  # (workload id, implementation) -> seconds per epoch (the STATISTIC of the rounds)
        self.workloads = {}  # workload id -> extra_info describing it
        self.op_counts = {}  # workload id -> scalar_net's operation count per epoch
        self.rates = {}  # operation -> seconds per operation
        self.startup = {}  # "cold" / "cached" -> (wall seconds, import seconds, first-epoch seconds)
        self.inside = {}  # workload id -> plain Python's seconds per epoch timed inside its process
        self.disturbed = []  # (benchmark name, why its time is suspect)
        self.suspect = set()  # (workload id, implementation) of those, to mark their cells
        self.machine = _machine_line(machine_info or {})
        for record in (r for r in records if isinstance(r, dict)):
            info, stats = record.get("extra_info"), record.get("stats")
            seconds = stats.get(STATISTIC) if isinstance(stats, dict) else None
            if not isinstance(info, dict) or not isinstance(seconds, (int, float)) or seconds <= 0:
                continue
            why = _suspect(info)
            if why:
                self.disturbed.append((record.get("name", "?"), why))
            if "implementation" in info and "workload" in info and _describes_workload(info):
                self.times[info["workload"], info["implementation"]] = seconds
                if why:
                    self.suspect.add((info["workload"], info["implementation"]))
                self.workloads[info["workload"]] = info
                if "op_count" in info:
                    self.op_counts[info["workload"]] = info["op_count"]
                if "inside_seconds_per_epoch" in info:
                    self.inside[info["workload"]] = info["inside_seconds_per_epoch"]
            elif "operation" in info:
                self.rates[info["operation"]] = seconds
            elif "cache" in info:
                self.startup[info["cache"]] = (seconds, info.get("import_s"), info.get("first_epoch_s"))
        if not (self.times or self.rates or self.startup):
            raise ReportError("it holds no benchmark of benchmarks/ (save one with "
                              "`pytest --benchmark-only --benchmark-json=FILE`)")

    def find(self, dataset, n, hidden, per_sample=False):
        """The id of the workload with these attributes, or None."""
        for wid, info in self.workloads.items():
            if (info.get("dataset"), info.get("n"), info.get("hidden")) == (dataset, n, hidden) and \
                    (info.get("batch_size") == 1) == per_sample and (per_sample or info.get("batch_size") == n):
                return wid
        return None

    def implementations(self, workload_ids, at_least=1):
        """The implementations timed on at least ``at_least`` of these workloads, in ORDER."""
        counts = {}
        for wid, impl in self.times:
            if wid in workload_ids:
                counts[impl] = counts.get(impl, 0) + 1
        found = {impl for impl, count in counts.items() if count >= at_least}
        return [impl for impl in ORDER if impl in found] + sorted(found - set(ORDER))

    def series(self, vary):
        """[(x, workload id)] of the width sweep (vary="hidden": linear-100, full batch) or the
        batch sweep (vary="n": 2-4-4-1 on linear-n, full batch), sorted by x."""
        points = []
        for wid, info in self.workloads.items():
            full = info.get("batch_size") == info.get("n") and info.get("dataset") == "linear"
            if full and vary == "hidden" and info.get("n") == 100:
                points.append((info["hidden"], wid))
            elif full and vary == "n" and info.get("hidden") == 4:
                points.append((info["n"], wid))
        return sorted(points)

    def time(self, workload_id, impl):
        return self.times.get((workload_id, impl)) if workload_id else None


def _suspect(info):
    """Why a benchmark's time is not to be trusted, from what it saved about its machine, or ''."""
    share, slowdown = info.get("cpu_share"), info.get("slowdown")
    if isinstance(share, (int, float)) and share < DISTURBED_SHARE:
        return f"got {share:.0%} of a core: too slow"
    if isinstance(share, (int, float)) and share > MORE_THAN_ONE_CORE:
        return f"used {share:.0%} of a core: too fast"
    if isinstance(slowdown, (int, float)) and slowdown > DISTURBED_SLOWDOWN:
        return f"the machine ran {slowdown:.2f}x slower than its best: too slow"
    return ""


def _describes_workload(info):
    return isinstance(info.get("dataset"), str) and all(
        isinstance(info.get(key), int) and info[key] > 0 for key in ("n", "hidden", "batch_size"))


def _machine_line(machine_info):
    cpu = machine_info.get("cpu") if isinstance(machine_info.get("cpu"), dict) else {}
    libraries = machine_info.get("libraries") if isinstance(machine_info.get("libraries"), dict) else {}
    parts = [f"{cpu.get('brand_raw') or machine_info.get('processor') or 'unknown CPU'}"
             + (f" ({cpu['count']} cores)" if cpu.get("count") else ""),
             f"Python {machine_info.get('python_version', '?')}",
             ", ".join(f"{name} {version}" for name, version in libraries.items()),
             str(machine_info.get("thread_pinning", ""))]
    return "; ".join(p for p in parts if p)


def load(path):
    """The Run saved in the pytest-benchmark JSON at ``path``; ReportError when it is not one."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise ReportError(f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise ReportError(f"{path} is not a text file") from None
    try:
        data = json.loads(text)
    except RecursionError:
        raise ReportError(f"{path} nests too deeply to be a pytest-benchmark JSON file") from None
    except json.JSONDecodeError as error:
        raise ReportError(f"{path} is not valid JSON ({error.msg}, line {error.lineno})") from None
    try:
        check_shape(data)
        return Run(data["benchmarks"], data.get("machine_info", {}))
    except ReportError as error:
        raise ReportError(f"{path}: {error}") from None


# ---------------------------------------------------------------------------------- numbers


def format_ratio(value):
    """3.99x, 22.5x, 1262x: never rounded up to a round goal."""
    return f"{value:.2f}x" if value < 10 else f"{value:.1f}x" if value < 100 else f"{value:.0f}x"


def format_time(seconds):
    if seconds is None:
        return "-"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if seconds >= scale or unit == "ns":
            value = seconds / scale
            return f"{value:.3g} {unit}" if value < 1000 else f"{value:.0f} {unit}"


def crossover(points):
    """Where matrix_net's time per epoch first drops below scalar_net's, interpolated in log-log
    between the two sizes around it: (x, text).  ``points`` = [(x, t_scalar, t_matrix)]."""
    points = [(x, s, m) for x, s, m in points if s and m]
    if len(points) < 2:
        return None, "not enough points to place a crossover"
    ratios = [(x, math.log(m / s)) for x, s, m in points]
    if ratios[0][1] <= 0:
        return None, f"matrix_net is already faster at the smallest size ({points[0][0]})"
    for (x0, r0), (x1, r1) in zip(ratios, ratios[1:]):
        if r0 > 0 >= r1:
            lx = math.log(x0) + (0 - r0) * (math.log(x1) - math.log(x0)) / (r1 - r0)
            return math.exp(lx), f"matrix_net overtakes scalar_net between {x0} and {x1} (about {math.exp(lx):.0f})"
    return None, f"scalar_net stays faster up to {points[-1][0]}"


def _ratio(numerator, denominator):
    return numerator / denominator if numerator and denominator else None


def targets(run):
    """[(what, measured ratio or seconds, goal text such as ">= 4x", met: bool or None)] from this run."""
    lab, lab1 = run.find("linear", 100, 4), run.find("linear", 100, 4, per_sample=True)
    big = run.find("linear", 10_000, 256)
    t = run.time
    rows = [
        ("scalar_net faster than matrix_net (lab, full batch)", _ratio(t(lab, MATRIX), t(lab, SCALAR)), ">=", 4.0),
        ("scalar_net faster than matrix_net (lab, per sample)", _ratio(t(lab1, MATRIX), t(lab1, SCALAR)), ">=", 150.0),
        ("scalar_net faster than PyTorch eager (lab)", _ratio(t(lab, "torch"), t(lab, SCALAR)), ">=", 25.0),
        ("scalar_net's time over JAX's jitted loop (lab)", _ratio(t(lab, SCALAR), t(lab, "jax")), "<=", 1.4),
        ("matrix_net faster than PyTorch eager (lab)", _ratio(t(lab, "torch"), t(lab, MATRIX)), ">=", 8.0),
        ("matrix_net over its products alone (2-256-256-1, n=10000)",
         _ratio(t(big, MATRIX), t(big, PRODUCTS)), "<=", 1.3),
    ]
    rows = [(what, value, sense, goal, "x") for what, value, sense, goal in rows]
    rows.append(("fresh process, numba cache filled: start to first epoch trained",
                 (run.startup.get("cached") or (None,))[0], "<=", 0.6, " s"))
    out = []
    for what, value, sense, goal, unit in rows:
        met = None if value is None else (value >= goal if sense == ">=" else value <= goal)
        out.append((what, value, f"{sense} {goal:g}{unit}", met))
    return out


def _target_cell(value, met, goal):
    """(measured, verdict) cells; a miss says by what factor."""
    if value is None:
        return "not measured", "-"
    number = goal.split()[1]
    unit = number.lstrip("0123456789.")
    goal_value = float(number[: len(number) - len(unit)])
    shown = format_ratio(value) if unit == "x" else f"{value:.3g} s"
    if met:
        return shown, "met"
    factor = goal_value / value if goal.startswith(">=") else value / goal_value
    return shown, f"missed by {factor:.2f}x"


# ---------------------------------------------------------------------------------- Markdown


def _table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines


def _cell(run, workload_id, impl):
    """The time, how many times scalar_net's it is (but for scalar_net's own), and a dagger when
    the machine was disturbed while it was timed."""
    seconds, reference = run.time(workload_id, impl), run.time(workload_id, SCALAR)
    if seconds is None:
        return "-"
    text = format_time(seconds)
    if reference and impl != SCALAR:
        text += f" ({format_ratio(seconds / reference)})"
    return text + (" †" if (workload_id, impl) in run.suspect else "")


def _lab_section(run):
    columns = [(run.find("linear", 100, 4), "linear-100, full batch"),
               (run.find("linear", 100, 4, True), "linear-100, per sample"),
               (run.find("xor", 21, 4), "XOR-21, full batch"), (run.find("xor", 21, 4, True), "XOR-21, per sample")]
    columns = [(wid, title) for wid, title in columns if wid]
    if not columns:
        return []
    rows = [[impl] + [_cell(run, wid, impl) for wid, _ in columns]
            for impl in run.implementations({wid for wid, _ in columns})]
    inside = [f"{title}: {format_time(run.inside[wid])}" for wid, title in columns if wid in run.inside]
    note = ["", "scalar_net-python timed inside its own process (the table adds the pipe's round trip): "
            + "; ".join(inside) + "."] if inside else []
    return ["## At the lab's size: 2-4-4-1", "",
            "Time per epoch; (Nx) = N times scalar_net's time.", "",
            *_table(["implementation"] + [title for _, title in columns], rows), *note, ""]


def _sweep_section(run, vary, title, label):
    points = run.series(vary)
    if not points:
        return []
    impls = run.implementations({wid for _, wid in points}, at_least=min(2, len(points)))
    rows = [[x] + [_cell(run, wid, impl) for impl in impls] for x, wid in points]
    _, text = crossover([(x, run.time(wid, SCALAR), run.time(wid, MATRIX)) for x, wid in points])
    return [f"## {title}", "", *_table([label] + impls, rows), "", f"Crossover: {text}.", ""]


def _big_section(run):
    wid = run.find("linear", 10_000, 256)
    if not wid:
        return []
    products = run.time(wid, PRODUCTS)
    rows = [[impl, format_time(run.time(wid, impl)) + (" †" if (wid, impl) in run.suspect else ""),
             format_ratio(run.time(wid, impl) / products) if products else "-"]
            for impl in run.implementations({wid})]
    return ["## Wide and large: 2-256-256-1 on linear-10000, full batch", "",
            *_table(["implementation", "per epoch", "over products-only"], rows), ""]


def _startup_section(run):
    if not run.startup:
        return []
    rows = [[cache, format_time(wall), format_time(imp), format_time(first)]
            for cache, (wall, imp, first) in sorted(run.startup.items(), reverse=True)]
    return ["## Startup: a fresh process imports scalar_net and trains one epoch", "",
            *_table(["numba cache", "process wall time", "import scalar_net", "first train() call"], rows), ""]


def operation_estimate(run):
    """[(operation, count, seconds each, seconds)] for the lab epoch, or [] without the data."""
    lab = run.find("linear", 100, 4)
    counts = run.op_counts.get(lab)
    if not counts or not run.rates:
        return []
    return [(op, counts[op], run.rates.get(op), counts[op] * run.rates[op] if op in run.rates else None)
            for op in ("multiply_adds", "exps", "divisions", "other_flops")]


def _operations_section(run):
    estimate = operation_estimate(run)
    if not estimate:
        return []
    total = sum(s for *_, s in estimate if s)
    measured = run.time(run.find("linear", 100, 4), SCALAR)
    rows = [[op.replace("_", " "), count, format_time(each), format_time(seconds)]
            for op, count, each, seconds in estimate]
    rows.append(["at this machine's scalar rate", "", "", format_time(total)])
    if measured:
        rows.append(["scalar_net measured", "", "", f"{format_time(measured)} ({measured / total:.2f}x the count)"])
    return ["## The element-wise epoch against its operation count (2-4-4-1, linear-100, full batch)", "",
            "Counted from scalar_net's code (benchmarks/op_count.py); each operation costed at the rate",
            "measured here for a compiled, ordered scalar loop (benchmarks/scalar_rate.py); other flops",
            "(adds, subtracts, multiplies on their own) are not costed.", "",
            *_table(["operation", "per epoch", "cost each", "total"], rows), ""]


def _targets_section(run):
    rows = []
    for what, value, goal, met in targets(run):
        shown, verdict = _target_cell(value, met, goal)
        rows.append([what, shown, goal, verdict])
    return ["## Targets (ratios of the times above, all from this one run)", "",
            *_table(["", "measured", "goal", ""], rows), ""]


def _disturbed_section(run):
    if not run.disturbed:
        return []
    return ["## † Disturbed while timed", "",
            "Other work on the machine slowed these down (or, when too fast, they used more than one",
            "core); benchmarks/timing.py waited for a quiet machine first.  Rerun to check them:", "",
            *[f"- {name}: {why}" for name, why in run.disturbed], ""]


def _disturbed_line(run):
    if not run.disturbed:
        return []
    return [f"† {len(run.disturbed)} benchmarks were disturbed by other work on the machine while timed: "
            "rerun, or see the full report."]


def markdown(run):
    lines = ["# Element-wise or matrix form: which is faster?", "",
             f"Machine: {run.machine}", "",
             f"Time per epoch: the fastest of each benchmark's rounds ({STATISTIC}), compilation excluded "
             "(warmed up before timing).", *_disturbed_line(run), ""]
    lines += _lab_section(run)
    lines += _sweep_section(run, "hidden", "Width: 2-H-H-1 on linear-100, full batch", "H")
    lines += _sweep_section(run, "n", "Batch size: 2-4-4-1 on linear-n, full batch", "n")
    lines += _big_section(run)
    lines += _operations_section(run)
    lines += _startup_section(run)
    lines += _targets_section(run)
    lines += _disturbed_section(run)
    return "\n".join(lines)


def summary_lines(records):
    """The lab table, the crossovers and the targets, for the end of a pytest run."""
    run = Run(records)
    lines = _lab_section(run)
    for vary, label in (("hidden", "width H"), ("n", "batch size n")):
        points = run.series(vary)
        _, text = crossover([(x, run.time(wid, SCALAR), run.time(wid, MATRIX)) for x, wid in points])
        if points:
            lines.append(f"Crossover in {label}: {text}.")
    return lines + _disturbed_line(run) + [""] + _targets_section(run)


# ---------------------------------------------------------------------------------- plot


def _plot_sweep(axis, run, vary, xlabel):
    from matplotlib.ticker import NullLocator

    points = run.series(vary)
    if not points:
        axis.text(0.5, 0.5, "no data", ha="center", va="center", transform=axis.transAxes)
        return
    for impl in run.implementations({wid for _, wid in points}, at_least=min(2, len(points))):
        xs = [x for x, wid in points if run.time(wid, impl)]
        ys = [run.time(wid, impl) for _, wid in points if run.time(wid, impl)]
        axis.plot(xs, ys, marker="o", label=impl, linewidth=2.5 if impl in (SCALAR, MATRIX) else 1.2)
    x, text = crossover([(x, run.time(wid, SCALAR), run.time(wid, MATRIX)) for x, wid in points])
    if x is not None:
        axis.axvline(x, color="grey", linestyle=":")
        axis.annotate(f"crossover ~{x:.0f}", (x, 0.03), xycoords=("data", "axes fraction"), ha="center",
                      va="bottom", fontsize=8, backgroundcolor="white")
    axis.set_xscale("log")
    axis.set_yscale("log")
    axis.set_xticks([x for x, _ in points], [str(x) for x, _ in points])
    axis.xaxis.set_minor_locator(NullLocator())
    axis.set_xlabel(xlabel)
    axis.set_ylabel("time per epoch (s)")
    axis.grid(True, which="both", alpha=0.3)
    axis.legend(fontsize=8)


def plot_figure(run):
    """The Figure: time per epoch against the width and against the batch size."""
    from backprop_lab.figures.new import new_figure

    figure = new_figure(figsize=(12, 4.8))
    left, right = figure.subplots(1, 2)
    _plot_sweep(left, run, "hidden", "width H of 2-H-H-1 (linear-100, full batch)")
    _plot_sweep(right, run, "n", "batch size n (2-4-4-1, linear-n, full batch)")
    figure.suptitle("Element-wise (scalar_net) or matrix (matrix_net): time per epoch")
    figure.tight_layout()
    return figure


def plot(run, path):
    """Draw the figure into the file ``path`` (a temporary one: see main)."""
    from backprop_lab.figures.save import write_png

    write_png(plot_figure(run), path, dpi=110)


# ---------------------------------------------------------------------------------- command


def main(argv=None):
    """``bench JSON [--out DIR]``; returns the exit status."""
    parser = _Parser(prog="backprop-lab bench", description=__doc__.splitlines()[0])
    parser.add_argument("json", help="a file saved by pytest --benchmark-only --benchmark-json=FILE")
    parser.add_argument("--out", help="folder for benchmarks.md and benchmarks.png (default: the JSON's)")
    try:
        args = parser.parse_args(argv)
        out = Path(args.out) if args.out is not None else Path(args.json).resolve().parent
        report_path, plot_path = str(out / REPORT_NAME), str(out / PLOT_NAME)
        files.check_outputs([("--out", report_path), ("--out", plot_path)], make_parents=True)
        for output in (report_path, plot_path):
            if Path(args.json).exists() and Path(output).exists() and Path(output).samefile(args.json):
                raise ReportError(f"cannot write {output}: it is the input file")
        run = load(args.json)
    except SystemExit as exit:  # --help
        return exit.code
    except (ReportError, files.OutputError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    report = markdown(run)
    try:
        out.mkdir(parents=True, exist_ok=True)
        files.write_files({report_path: files.text_writer(report + "\n"), plot_path: lambda tmp: plot(run, tmp)})
    except OSError as error:
        print(f"error: cannot write to {out}: {error.strerror or error}", file=sys.stderr)
        return 1
    print(report)
    print(f"\nwrote {report_path} and {plot_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
