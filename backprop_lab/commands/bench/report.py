"""The Markdown report of a benchmark run, for a student: which form wins at which size and why,
in sentences built from the run's own numbers, then the tables they come from.

Every number in it is from that one run; the developers' goals for those numbers (targets.py) are
printed at the end of the benchmark run itself, not here.
"""

import math

from backprop_lab.commands.bench.results import MATRIX, PRODUCTS, SCALAR, Run, format_ratio
from backprop_lab.formatting import duration, markdown_table

PYTHON, NUMBA_MATRIX = "scalar_net-python", "numba_matrix"
#: A table wider than this (in characters) is split into several, each with the first column.
TABLE_WIDTH = 110


# ---------------------------------------------------------------------------------- numbers


def times(value):
    """A ratio for a sentence: 4.0x, 9.2x, 188x."""
    return f"{value:.1f}x" if value < 10 else f"{value:.0f}x"


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


def _bracket(points):
    """(x0, x1): the sizes between which matrix_net overtakes, or None (see crossover)."""
    points = [(x, s, m) for x, s, m in points if s and m]
    for (x0, s0, m0), (x1, s1, m1) in zip(points, points[1:]):
        if m0 > s0 and m1 <= s1:
            return x0, x1
    return None


# ---------------------------------------------------------------------------------- the words

ELEMENTWISE, MATRIX_FORM = "the element-wise trainer", "the matrix trainer"


#: Below this ratio two times are "about the same".
SAME = 1.1


def winner(scalar, matrix):
    """ELEMENTWISE or MATRIX_FORM, whichever took less time, or None when they are within SAME."""
    if max(scalar, matrix) / min(scalar, matrix) < SAME:
        return None
    return ELEMENTWISE if scalar < matrix else MATRIX_FORM


def versus(scalar, matrix, how, it=None):
    """A clause comparing the two trainers' times: who is faster, by how much, how measured
    ("it" for the winner when it is ``it``, the subject of the sentence so far)."""
    fast, slow = sorted([(scalar, ELEMENTWISE), (matrix, MATRIX_FORM)])
    if winner(scalar, matrix) is None:
        return (f"{ELEMENTWISE} and {MATRIX_FORM} take about the same time {how} "
                f"({duration(scalar)} and {duration(matrix)})")
    subject = "it" if fast[1] == it else fast[1]
    return (f"{subject} is {times(slow[0] / fast[0])} faster {how} "
            f"({duration(fast[0])} against {duration(slow[0])})")


def _lab_words(run):
    full, single = run.find("linear", 100, 4), run.find("linear", 100, 4, per_sample=True)
    t = run.time
    cases = [(t(w, SCALAR), t(w, MATRIX), how) for w, how in
             ((full, "on full batches"), (single, "when they update after every point"))
             if t(w, SCALAR) and t(w, MATRIX)]
    if not cases:
        return []
    wins = [winner(s, m) for s, m, _ in cases]
    if wins[0] is not None and len(set(wins)) == 1:  # one winner: one subject
        loser = MATRIX_FORM if wins[0] == ELEMENTWISE else ELEMENTWISE
        parts = [f"{times(max(s, m) / min(s, m))} faster {how} ({duration(min(s, m))} against {duration(max(s, m))})"
                 for s, m, how in cases]
        said = f"{wins[0]} is " + " and ".join(parts).replace(" faster ", f" faster per epoch than {loser} ", 1)
    else:
        said = "; ".join(versus(s, m, "per epoch " + how) for s, m, how in cases)
    said = (said.replace(ELEMENTWISE, f"{ELEMENTWISE} (`scalar_net`)", 1)
            .replace(MATRIX_FORM, f"{MATRIX_FORM} (`matrix_net`)", 1))  # their names, once
    words = [f"**At the lab's size** (2-4-4-1 on 100 points) {said}."]
    paragraphs = [" ".join(words)]
    words = []
    n = run.workloads[full]["n"] if full else None
    if t(full, MATRIX) and t(single, MATRIX):
        one, all_points = t(single, MATRIX) / n, t(full, MATRIX)
        growth = all_points / one
        cost = (f"a step with {n} times the points takes no longer" if growth < SAME
                else f"{n} times the points cost only {times(growth)} the time")
        words.append(f"Why: one step of {MATRIX_FORM} takes {duration(one)} on one point and "
                     f"{duration(all_points)} on all {n}: {cost}.")
        if growth < n / 10:
            words.append("So its time goes into the fixed cost of its NumPy calls, not into the arithmetic: "
                         "each call costs about a microsecond whatever the size of its arrays (Python calls "
                         "it, NumPy checks the arrays' types and shapes and allocates the result), and "
                         f"updating after every point pays that cost {n} times an epoch.")
    estimate = operation_estimate(run)
    if t(full, SCALAR) and estimate and all(seconds for *_, seconds in estimate[:3]):
        spent = sum(seconds for *_, seconds in estimate[:3])
        counts = {op: count for op, count, *_ in estimate}
        words.append(f"{ELEMENTWISE.capitalize()} is one loop that numba compiles to machine code, with no "
                     f"such calls: its epoch takes {duration(t(full, SCALAR))}, {times(t(full, SCALAR) / spent)} "
                     f"what its {counts['multiply_adds']} multiply-adds, {counts['exps']} exps and "
                     f"{counts['divisions']} divisions cost at this machine's speed ({duration(spent)}).")
    if t(full, SCALAR) and t(full, NUMBA_MATRIX):
        words.append(f"The matrix algorithm compiled the same way (`numba_matrix`) takes "
                     f"{duration(t(full, NUMBA_MATRIX))}, {times(t(full, NUMBA_MATRIX) / t(full, SCALAR))} "
                     f"{ELEMENTWISE}'s time: at this size what costs is the calls, not the form.")
    if t(full, SCALAR) and t(full, PYTHON):
        words.append(f"The element-wise source run as plain Python, without numba, takes "
                     f"{duration(t(full, PYTHON))}, {times(t(full, PYTHON) / t(full, SCALAR))} as long: every "
                     "multiply-add is then an operation of the Python interpreter.")
    return paragraphs + ([" ".join(words)] if words else [])


def _timed_points(run, points):
    """[(x, t_scalar, t_matrix)] of the [(x, workload id)] that both trainers were timed on."""
    return [(x, run.time(wid, SCALAR), run.time(wid, MATRIX)) for x, wid in points
            if run.time(wid, SCALAR) and run.time(wid, MATRIX)]


def takes_over(points, at, name="", unit=""):
    """(whether matrix_net overtakes within the sizes, a clause saying where) for
    ``points`` = [(x, t_scalar, t_matrix)]; ``at(x)`` names a size ("H = 16")."""
    x, _ = crossover(points)
    bracket = _bracket(points)
    if x is not None and bracket:
        return True, (f"{MATRIX_FORM} takes over from about {name + ' = ' if name else ''}{x:,.0f}{unit} "
                      f"(the crossover of this run, between {bracket[0]:,} and {bracket[1]:,})")
    if points[0][2] <= points[0][1]:
        return False, f"{MATRIX_FORM} is already faster at the smallest size, {at(points[0][0])}"
    return False, f"{ELEMENTWISE} stays faster up to {at(points[-1][0])}"


def _sweep_words(run, vary):
    points = _timed_points(run, run.series(vary))
    if len(points) < 2:
        return []
    name, unit = ("H", "") if vary == "hidden" else ("", " points")
    lead = ("**Wider layers** (2-H-H-1 on 100 points, full batch):" if vary == "hidden"
            else "**More points** (2-4-4-1, full batch):")

    def at(x):
        return f"H = {x}" if vary == "hidden" else f"{x:,} points"

    crosses, where = takes_over(points, at, name, unit)
    largest, s, m = points[-1]
    subject = MATRIX_FORM if crosses else None
    words = [f"{lead} {where}; at {at(largest)} {versus(s, m, 'per epoch', it=subject)}."]
    (xa, sa, ma), (xb, sb, mb) = points[-2], points[-1]
    if vary == "hidden":
        weights = (xb / xa) ** 2
        words.append(f"From H = {xa} to {xb} the weights grow {times(weights)} (H² per layer): "
                     f"{ELEMENTWISE}'s time grows {times(sb / sa)} with them, {MATRIX_FORM}'s {times(mb / ma)}.")
        if mb / ma < sb / sa:
            words.append("BLAS, which does the matrix products, multiplies whole blocks of numbers with vector "
                         "instructions, in pieces that stay in the cache; the element-wise loop does one "
                         "multiply-add after another, each waiting for the one before.")
    else:
        per_s, per_m = (sb - sa) / (xb - xa), (mb - ma) / (xb - xa)
        if per_s > 0 and per_m > 0:
            x0, s0, m0 = points[0]
            words.append(f"Each further point costs {ELEMENTWISE} {duration(per_s)} and {MATRIX_FORM} "
                         f"{duration(per_m)}, while {MATRIX_FORM} also pays a fixed cost each epoch (its time at "
                         f"{x0} points is {duration(m0)}): more points share that cost.")
            if per_s / per_m < 3:
                words.append("With 4 units a layer every matrix is thin (n x 4), so BLAS gains little on "
                             f"the arithmetic itself: {times(per_s / per_m)} per point.")
    return [" ".join(words)]


def _big_words(run):
    wid = run.find("linear", 10_000, 256)
    m, p, s = run.time(wid, MATRIX), run.time(wid, PRODUCTS), run.time(wid, SCALAR)
    if not m:
        return []
    words = [f"**Wide and large** (2-256-256-1 on 10,000 points): {MATRIX_FORM} takes {duration(m)} an epoch"]
    if p:
        words[0] += (f", {times(m / p)} the time of its matrix products alone ({duration(p)}); the rest is its "
                     "element-wise work (the sigmoids, their derivatives, the updates), which NumPy does in "
                     "separate passes over 10,000 x 256 arrays")
    words[0] += "."
    if s:
        words.append(f"{ELEMENTWISE.capitalize()} takes {duration(s)}, {times(s / m)} as long." if s > m else
                     f"{ELEMENTWISE.capitalize()} takes {duration(s)}.")
    return [" ".join(words)]


def net_name(info, hidden="H"):
    """A digits workload's net with its hidden widths as ``hidden``: "64-H-H-10"."""
    sizes = info["sizes"]
    return "-".join(map(str, [sizes[0], *[hidden] * (len(sizes) - 2), sizes[-1]]))


def batch_name(info):
    return "full batch" if info["batch_size"] == info["n"] else f"mini-batches of {info['batch_size']}"


def _digits_words(run):
    series = {key: (points, _timed_points(run, points)) for key, points in run.digits_series().items()}
    series = {key: value for key, value in series.items() if value[1]}
    if not series:
        return []
    first = run.workloads[run.digits_series()[next(iter(series))][0][1]]  # any: they share data and sizes
    sizes = first["sizes"]
    clauses = []
    for points, timed in series.values():
        info = run.workloads[points[0][1]]
        largest, s, m = timed[-1]
        if len(timed) > 1:
            crosses, where = takes_over(timed, lambda x: f"H = {x}", "H")
            clauses.append(f"{net_name(info)}, {batch_name(info)}: {where}; at H = {largest} "
                           f"{versus(s, m, 'per epoch', it=MATRIX_FORM if crosses else None)}")
        else:
            clauses.append(f"{net_name(info, largest)}, {batch_name(info)}: {versus(s, m, 'per epoch')}")
    words = [f"**Real data** (the {first['n']:,} handwritten digits, {sizes[0]} inputs and {sizes[-1]} classes, "
             f"softmax outputs): " + "; ".join(clauses) + "."]
    ratio, best = max((run.time(wid, SCALAR) / run.time(wid, MATRIX), wid) for points, _ in series.values()
                      for _, wid in points if run.time(wid, SCALAR) and run.time(wid, MATRIX))
    lab, widths = run.find("linear", 100, 4), _timed_points(run, run.series("hidden"))
    if ratio > 1 and run.time(lab, SCALAR) and run.time(lab, MATRIX):
        lab_ratio = run.time(lab, MATRIX) / run.time(lab, SCALAR)
        against = (f"{ELEMENTWISE} is {times(lab_ratio)} faster" if lab_ratio > 1
                   else f"{MATRIX_FORM} is {times(1 / lab_ratio)} faster")
        crossing = crossover(widths)[0] if len(widths) > 1 else None
        words.append(f"So the matrix form wins by up to {times(ratio)} on real data "
                     f"({net_name(run.workloads[best], run.workloads[best]['hidden'])}, "
                     f"{batch_name(run.workloads[best])}), against the lab's 2-4-4-1 on 100 points, where {against}"
                     + (f" and the crossover in width on two inputs is about H = {crossing:.0f}" if crossing else "")
                     + ".")
    why = _digits_why(run, best) + _digits_steps(run, series)
    return [" ".join(words)] + ([" ".join(why)] if why else [])


def _digits_why(run, wid):
    """Why the matrix form wins on the digits workload ``wid``, from its operation count and times."""
    counts, rate = run.op_counts.get(wid), run.rates.get("multiply_adds")
    s, m, numba = run.time(wid, SCALAR), run.time(wid, MATRIX), run.time(wid, NUMBA_MATRIX)
    info = run.workloads[wid]
    words = []
    if counts and s and m:
        adds = counts["multiply_adds"]
        ordered = f", {times(s / (adds * rate))} the {duration(rate)} of this machine's ordered loop" if rate else ""
        words.append(f"Why: an epoch of {net_name(info, info['hidden'])}, {batch_name(info)}, is {adds:,} "
                     f"multiply-adds; {ELEMENTWISE} does them one after another, each add waiting for the one "
                     f"before, in {duration(s)} ({duration(s / adds)} each{ordered}), while {MATRIX_FORM} hands its "
                     f"matrix products to BLAS, which multiplies blocks that stay in the cache with vector "
                     f"instructions: its epoch takes {duration(m)}, {duration(m / adds)} a multiply-add.")
    if numba and s and m:
        words.append(f"The same matrix algorithm with its products as loops compiled by numba (`numba_matrix`) "
                     f"takes {duration(numba)} there, {times(numba / s)} {ELEMENTWISE}'s time"
                     + (f" and {times(numba / m)} {MATRIX_FORM}'s: most of the gain is BLAS's products, not the "
                        "matrix form by itself." if numba > SAME * m else "."))
    return words


def _digits_steps(run, series):
    """Why the element-wise trainer still wins the narrowest net on mini-batches, where it does:
    the matrix trainer's fixed cost per step, paid once per batch."""
    words = []
    for (depth, batch), (points, timed) in series.items():
        info = run.workloads[points[0][1]]
        full = series.get((depth, info["n"]))
        if batch == info["n"] or not full or timed[0][1] >= timed[0][2]:
            continue
        hidden, _, m = timed[0]
        whole = {x: m_full for x, _, m_full in full[1]}.get(hidden)
        if whole:
            steps = -(-info["n"] // batch)
            words.append(f"On {batch_name(info)} an epoch is {steps} steps: at {net_name(info, hidden)} a step of "
                         f"{MATRIX_FORM} on {batch} images takes {duration(m / steps)}, and a whole epoch on all "
                         f"{info['n']:,} as one batch {duration(whole)}. Most of a small step is the fixed cost of "
                         f"its NumPy calls, paid {steps} times an epoch, so on narrow nets {ELEMENTWISE} stays faster.")
    return words


def _peer_words(run):
    lab = run.find("linear", 100, 4)
    s, m = run.time(lab, SCALAR), run.time(lab, MATRIX)
    words = []
    torch, jax = run.time(lab, "torch"), run.time(lab, "jax")
    if torch and s and m:
        words.append(f"PyTorch, run eagerly, takes {duration(torch)} an epoch at the lab's size: "
                     f"{times(torch / s)} {ELEMENTWISE}'s time and {times(torch / m)} {MATRIX_FORM}'s; "
                     "each of its operations costs more than NumPy's (autograd records every one).")
    if jax and s:
        relation = (f"{times(s / jax)} faster than {ELEMENTWISE}" if jax < s
                    else f"{times(jax / s)} {ELEMENTWISE}'s time")
        words.append(f"JAX, which compiles the whole training loop as numba does, takes {duration(jax)} ({relation}): "
                     "it fuses operations and computes many points at once with vector instructions, summing "
                     "in another order, which the element-wise trainer's rule (every sum in the order written) "
                     "does not allow.")
    return [" ".join(words)] if words else []


def _startup_words(run):
    cold, cached = run.startup.get("cold"), run.startup.get("cached")
    parts = []
    if cold:
        parts.append(f"{duration(cold[0])} the first time (numba compiles the trainer)")
    if cached:
        parts.append(f"{duration(cached[0])} once numba's cache holds it")
    if not parts:
        return []
    return [f"A fresh process that imports scalar_net and trains one epoch takes {' and '.join(parts)}."]


def findings(run):
    """The paragraphs that say, from this run's numbers, which form wins where and why."""
    return (_lab_words(run) + _sweep_words(run, "hidden") + _sweep_words(run, "n") + _big_words(run)
            + _digits_words(run) + _peer_words(run) + _startup_words(run))


# ---------------------------------------------------------------------------------- tables


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


def narrow_tables(header, rows):
    """Markdown tables of ``rows`` under ``header``, split by columns (each keeping the first) so
    that none is wider than TABLE_WIDTH characters."""
    groups, current = [], []
    for k in range(1, len(header)):
        trial = current + [k]
        if current and max(map(len, markdown_table([header[0]] + [header[j] for j in trial],
                                          [[r[0]] + [r[j] for j in trial] for r in rows]).split("\n"))) > TABLE_WIDTH:
            groups.append(current)
            trial = [k]
        current = trial
    groups.append(current)
    return "\n\n".join(markdown_table([header[0]] + [header[j] for j in g], [[r[0]] + [r[j] for j in g] for r in rows])
                       for g in groups)


def _lab_section(run):
    columns = [(run.find("linear", 100, 4), "linear-100, full batch"),
               (run.find("linear", 100, 4, True), "linear-100, per sample"),
               (run.find("xor", 21, 4), "XOR-21, full batch"), (run.find("xor", 21, 4, True), "XOR-21, per sample")]
    columns = [(wid, title) for wid, title in columns if wid]
    if not columns:
        return []
    impls = run.implementations({wid for wid, _ in columns})
    rows = [[impl] + [_cell(run, wid, impl) for wid, _ in columns] for impl in impls]
    inside = [f"{title}: {format_time(run.inside[wid])}" for wid, title in columns if wid in run.inside]
    note = ["", f"{PYTHON} timed inside its own process (the table adds the pipe's round trip): "
            + "; ".join(inside) + "."] if inside else []
    timed = [f"- `{impl}`: {run.about[impl]}" for impl in impls if impl in run.about]
    return ["## At the lab's size: 2-4-4-1", "",
            "Time per epoch; (Nx) = N times scalar_net's time.", "",
            narrow_tables(["implementation"] + [title for _, title in columns], rows), *note, "",
            *(["What each one is:", "", *timed, ""] if timed else [])]


def _sweep_section(run, vary, title, label):
    points = run.series(vary)
    if len(points) < 2:  # the lab's point alone: its table is above
        return []
    impls = run.implementations({wid for _, wid in points}, at_least=2)
    rows = [[x] + [_cell(run, wid, impl) for impl in impls] for x, wid in points]
    _, text = crossover([(x, run.time(wid, SCALAR), run.time(wid, MATRIX)) for x, wid in points])
    return [f"## {title}", "", narrow_tables([label] + impls, rows), "", f"Crossover: {text}.", ""]


def _big_section(run):
    wid = run.find("linear", 10_000, 256)
    if not wid:
        return []
    products = run.time(wid, PRODUCTS)
    rows = [[impl, format_time(run.time(wid, impl)) + (" †" if (wid, impl) in run.suspect else ""),
             format_ratio(run.time(wid, impl) / products) if products else "-"]
            for impl in run.implementations({wid})]
    return ["## Wide and large: 2-256-256-1 on linear-10000, full batch", "",
            narrow_tables(["implementation", "per epoch", "over products-only"], rows), ""]


def _digits_section(run):
    series = run.digits_series()
    if not series:
        return []
    ids = [wid for points in series.values() for _, wid in points]
    impls = run.implementations(set(ids))
    rows = [[f"{net_name(run.workloads[wid], x)}, {batch_name(run.workloads[wid])}"]
            + [_cell(run, wid, impl) for impl in impls] for points in series.values() for x, wid in points]
    info = run.workloads[ids[0]]
    lines = [f"## Real data: the {info['n']:,} digits ({info['sizes'][0]} inputs, {info['sizes'][-1]} classes, "
             "softmax and cross-entropy)", "",
             "Time per epoch; (Nx) = N times scalar_net's time.", "", narrow_tables(["net"] + impls, rows), ""]
    crossings = digits_crossovers(run)
    return lines + crossings + ([""] if crossings else [])


def digits_crossovers(run):
    """One line per digits net and batch size timed at two widths or more: where matrix_net overtakes."""
    lines = []
    for points in run.digits_series().values():
        timed = _timed_points(run, points)
        if len(timed) > 1:
            some = run.workloads[points[0][1]]
            lines.append(f"Crossover, {net_name(some)}, {batch_name(some)}: {crossover(timed)[1]}.")
    return lines


def _startup_section(run):
    if not run.startup:
        return []
    rows = [[cache, format_time(wall), format_time(imp), format_time(first)]
            for cache, (wall, imp, first) in sorted(run.startup.items(), reverse=True)]
    return ["## Startup: a fresh process imports scalar_net and trains one epoch", "",
            narrow_tables(["numba cache", "process wall time", "import scalar_net", "first train() call"], rows), ""]


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
            narrow_tables(["operation", "per epoch", "cost each", "total"], rows), ""]


def _disturbed_section(run):
    if not run.disturbed:
        return []
    return ["## † Timed while the machine was busy", "",
            "The time of these benchmarks is the fastest of their rounds, and in that round something",
            "else had the core or slowed the machine: their times may be too long (or, on two cores,",
            "too short). Run the benchmarks again when nothing else runs to check them.", "",
            *[f"- {name}: {why}" for name, why in run.disturbed], ""]


def _disturbed_line(run):
    if not run.disturbed:
        return []
    return [f"† {len(run.disturbed)} of the {run.count} times were measured while other work slowed the "
            "machine (listed at the end): they may be too long."]


def _machine_lines(run):
    lines = [f"Measured on {run.machine}."]
    pinning = run.pinning
    if pinning:
        one_core = "runs on CPU" in pinning
        lines.append("Each benchmark ran in a single thread" + (" on one core" if one_core else "")
                     + ", so both forms are timed on the same footing.")
        if "kept its pool" in pinning or "run unpinned" in pinning:
            lines.append(f"(Except: {pinning}.)")
    return lines


def markdown(run):
    lines = ["# Element-wise or matrix form: which is faster?", "",
             *_machine_lines(run), "",
             "Every time is that of one epoch (one pass over the data), the fastest of each benchmark's "
             "rounds, after a first run that compiled it.", *_disturbed_line(run), ""]
    words = findings(run)
    if words:
        lines += ["## What this run shows", ""]
        for paragraph in words:
            lines += [paragraph, ""]
    lines += _lab_section(run)
    lines += _sweep_section(run, "hidden", "Width: 2-H-H-1 on linear-100, full batch", "H")
    lines += _sweep_section(run, "n", "Batch size: 2-4-4-1 on linear-n, full batch", "n")
    lines += _big_section(run)
    lines += _digits_section(run)
    lines += _operations_section(run)
    lines += _startup_section(run)
    lines += _disturbed_section(run)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def summary_lines(records):
    """For the end of a pytest run, the developers': the lab table, the crossovers, the targets."""
    from backprop_lab.commands.bench.targets import targets_section

    run = Run(records)
    lines = _lab_section(run)
    for vary, label in (("hidden", "width H"), ("n", "batch size n")):
        points = run.series(vary)
        _, text = crossover([(x, run.time(wid, SCALAR), run.time(wid, MATRIX)) for x, wid in points])
        if points:
            lines.append(f"Crossover in {label}: {text}.")
    return lines + digits_crossovers(run) + _disturbed_line(run) + [""] + targets_section(run)
