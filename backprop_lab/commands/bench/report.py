"""The Markdown report of a benchmark run: tables, crossovers and target ratios, all from that one run."""

import math

from backprop_lab.commands.bench.results import MATRIX, PRODUCTS, SCALAR, STATISTIC, Run
from backprop_lab.formatting import duration, markdown_table


# ---------------------------------------------------------------------------------- numbers


def format_ratio(value):
    """3.99x, 22.5x, 1262x: never rounded up to a round goal."""
    return f"{value:.2f}x" if value < 10 else f"{value:.1f}x" if value < 100 else f"{value:.0f}x"


def format_time(seconds):
    """A table cell's time: backprop_lab.formatting.duration, or "-" when it was not measured."""
    return "-" if seconds is None else duration(seconds)


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
            markdown_table(["implementation"] + [title for _, title in columns], rows), *note, ""]


def _sweep_section(run, vary, title, label):
    points = run.series(vary)
    if not points:
        return []
    impls = run.implementations({wid for _, wid in points}, at_least=min(2, len(points)))
    rows = [[x] + [_cell(run, wid, impl) for impl in impls] for x, wid in points]
    _, text = crossover([(x, run.time(wid, SCALAR), run.time(wid, MATRIX)) for x, wid in points])
    return [f"## {title}", "", markdown_table([label] + impls, rows), "", f"Crossover: {text}.", ""]


def _big_section(run):
    wid = run.find("linear", 10_000, 256)
    if not wid:
        return []
    products = run.time(wid, PRODUCTS)
    rows = [[impl, format_time(run.time(wid, impl)) + (" †" if (wid, impl) in run.suspect else ""),
             format_ratio(run.time(wid, impl) / products) if products else "-"]
            for impl in run.implementations({wid})]
    return ["## Wide and large: 2-256-256-1 on linear-10000, full batch", "",
            markdown_table(["implementation", "per epoch", "over products-only"], rows), ""]


def _startup_section(run):
    if not run.startup:
        return []
    rows = [[cache, format_time(wall), format_time(imp), format_time(first)]
            for cache, (wall, imp, first) in sorted(run.startup.items(), reverse=True)]
    return ["## Startup: a fresh process imports scalar_net and trains one epoch", "",
            markdown_table(["numba cache", "process wall time", "import scalar_net", "first train() call"], rows), ""]


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
            markdown_table(["operation", "per epoch", "cost each", "total"], rows), ""]


def _targets_section(run):
    rows = []
    for what, value, goal, met in targets(run):
        shown, verdict = _target_cell(value, met, goal)
        rows.append([what, shown, goal, verdict])
    return ["## Targets (ratios of the times above, all from this one run)", "",
            markdown_table(["", "measured", "goal", ""], rows), ""]


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
