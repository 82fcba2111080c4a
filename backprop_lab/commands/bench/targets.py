"""The developers' goals for the times (ratios measured in one run): printed at the end of a
benchmark run (``pytest --benchmark-only``, benchmarks/conftest.py), not in the students' report."""

from backprop_lab.commands.bench.results import MATRIX, PRODUCTS, SCALAR, format_ratio


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


def targets_section(run):
    """The goals as Markdown lines, for the developers' summary."""
    from backprop_lab.formatting import markdown_table

    rows = []
    for what, value, goal, met in targets(run):
        shown, verdict = _target_cell(value, met, goal)
        rows.append([what, shown, goal, verdict])
    return ["## Targets (ratios of the times above, all from this one run)", "",
            markdown_table(["", "measured", "goal", ""], rows), ""]
