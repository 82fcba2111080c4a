"""A saved pytest-benchmark run, checked field by field and read into per-epoch times."""

import json
import math

SCALAR, MATRIX, PRODUCTS = "scalar_net", "matrix_net", "products-only"
DIGITS = "digits"  # the data set of benchmarks/bench_digits.py's workloads
STATISTIC = "min"  # of the rounds: other processes only ever add time (see benchmarks/timing.py)
#: A benchmark is flagged as disturbed when, in its fastest round (the one the report shows), it
#: got less of its core than DISTURBED_SHARE (another program ran on the core: at 0.5 it had half)
#: or more than MORE_THAN_ONE_CORE (it ran on two), or when benchmarks/timing.py's probe ran
#: DISTURBED_SLOWDOWN times slower than its best both just before and just after it (the machine
#: slowed from outside, by another virtual machine on the same host).  A quiet machine gives
#: shares of 0.97 to 1.0 and probes within 1.1; a program spinning on the same core, 0.5.
DISTURBED_SHARE = 0.9
MORE_THAN_ONE_CORE = 1.1
DISTURBED_SLOWDOWN = 1.25
#: The largest benchmark run read (pytest-benchmark's files are a few hundred KiB).
MAX_BYTES = 64 * 2**20
ORDER = (SCALAR, "scalar_net-python", MATRIX, "matrix_net-exact", "numba_matrix", "torch", "jax", PRODUCTS)


class ReportError(Exception):
    """A one-line explanation of why the input cannot be reported on."""


# ---------------------------------------------------------------------------------- checking


def _text(value):
    return isinstance(value, str)


#: The largest count a run may give (a width, a number of points): every integer up to it is a float,
#: which the report's ratios and the figure's log axes compute with.
MAX_COUNT = 2**53
#: The times a run may give: a picosecond to about four months.  Outside, no benchmark measured
#: them, and their ratios (1e-320 / 1e300) underflow to 0, which no log axis can draw.
SECONDS = (1e-12, 1e7)


def _count(value):
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_COUNT


def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _seconds(value):
    return _number(value) and SECONDS[0] <= value <= SECONDS[1]


def _optional(check):
    return lambda value: value is None or check(value)


def _mapping_of(check):
    return lambda value: isinstance(value, dict) and all(_text(k) and check(v) for k, v in value.items())


#: What each field of a record must hold: (key, check, what the check wants).  Keys of extra_info
#: by kind of benchmark; a record that is none of these kinds is not ours and is skipped.
_RECORD = (("name", _text, "a string"), ("extra_info", lambda v: isinstance(v, dict), "an object"),
           ("stats", lambda v: isinstance(v, dict), "an object"))
_STATS = (("min", _seconds, "a number of seconds from 1e-12 to 1e7"),)
_TRAINING = (("workload", _text, "a string"), ("implementation", _text, "a string"),
             ("dataset", _text, "a string"), ("n", _count, "a positive integer up to 2**53"),
             ("hidden", _count, "a positive integer up to 2**53"), ("batch_size", _count, "a positive integer up to 2**53"))
_OPTIONAL = (("op_count", _mapping_of(lambda v: _number(v) and 0 <= v <= MAX_COUNT), "an object of operation counts up to 2**53"),
             ("inside_seconds_per_epoch", _seconds, "a number of seconds from 1e-12 to 1e7"),
             ("cpu_share", _number, "a finite number"), ("slowdown", _number, "a finite number"),
             ("depth", _count, "a positive integer up to 2**53"),
             ("sizes", lambda v: isinstance(v, list) and len(v) >= 2 and all(map(_count, v)),
              "a list of two or more positive integers up to 2**53"),
             ("import_s", _optional(_number), "a finite number"),
             ("first_epoch_s", _optional(_number), "a finite number"))
_KINDS = {"implementation": _TRAINING, "operation": (("operation", _text, "a string"),),
          "cache": (("cache", _text, "a string"),)}
_MACHINE = (("cpu", lambda v: isinstance(v, dict), "an object"),
            ("libraries", _mapping_of(_text), "an object of names and versions"),
            ("python_version", _text, "a string"), ("processor", _text, "a string"),
            ("thread_pinning", _text, "a string"))
_CPU = (("brand_raw", _text, "a string"), ("count", _count, "a positive integer up to 2**53"))


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
        self.about = {}  # implementation -> what it is, as benchmarks/implementations.py says
        self.suspect = set()  # (workload id, implementation) of those, to mark their cells
        self.count = 0  # benchmarks of ours read
        self.machine = _machine_line(machine_info or {})
        pinning = (machine_info or {}).get("thread_pinning")
        self.pinning = pinning if isinstance(pinning, str) else ""  # benchmarks/pinning.py's line
        for record in (r for r in records if isinstance(r, dict)):
            info, stats = record.get("extra_info"), record.get("stats")
            seconds = stats.get(STATISTIC) if isinstance(stats, dict) else None
            if not isinstance(info, dict) or not isinstance(seconds, (int, float)) or seconds <= 0:
                continue
            if not any(key in info for key in _KINDS):
                continue  # another project's benchmark
            self.count += 1
            why = _suspect(info)
            if why:
                self.disturbed.append((record.get("name", "?"), why))
            if "implementation" in info and "workload" in info and _describes_workload(info):
                self.times[info["workload"], info["implementation"]] = seconds
                if why:
                    self.suspect.add((info["workload"], info["implementation"]))
                self.workloads[info["workload"]] = info
                if isinstance(info.get("about"), str):
                    self.about.setdefault(info["implementation"], info["about"])
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

    def digits_series(self):
        """{(depth, batch size): [(H, workload id)]} of the digits workloads (depth 1: 64-H-10,
        2: 64-H-H-10), each sorted by the width H; full batches before mini-batches."""
        series = {}
        for wid, info in self.workloads.items():
            if info.get("dataset") == DIGITS and isinstance(info.get("depth"), int) \
                    and len(info.get("sizes", ())) == info["depth"] + 2:  # a net the report can name
                series.setdefault((info["depth"], info["batch_size"]), []).append((info["hidden"], wid))
        return {key: sorted(series[key]) for key in sorted(series, key=lambda k: (k[0], -k[1]))}

    def time(self, workload_id, impl):
        return self.times.get((workload_id, impl)) if workload_id else None


def _suspect(info):
    """Why a benchmark's time is not to be trusted, from what it saved about its machine, or ''."""
    share, slowdown = info.get("cpu_share"), info.get("slowdown")
    if isinstance(share, (int, float)) and share < DISTURBED_SHARE:
        return f"it got {share:.0%} of its core in its fastest round: another program ran on the same core"
    if isinstance(share, (int, float)) and share > MORE_THAN_ONE_CORE:
        return f"it used {share:.0%} of a core in its fastest round: it ran on more than one core"
    if isinstance(slowdown, (int, float)) and slowdown > DISTURBED_SLOWDOWN:
        return (f"the machine ran {slowdown:.2f}x slower than its best both before and after it: "
                "it was slowed from outside")
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
             ", ".join(f"{name} {version}" for name, version in libraries.items())]
    return "; ".join(p for p in parts if p)


def load(path):
    """The Run saved in the pytest-benchmark JSON at ``path``; ReportError when it is not one."""
    from backprop_lab.files import InputError, parse_json, read_input

    try:
        text = read_input(path, MAX_BYTES, "JSON file").decode("utf-8")
        data = parse_json(text, path)
    except InputError as error:
        raise ReportError(str(error)) from None
    except UnicodeDecodeError:
        raise ReportError(f"{path} is not a text file") from None
    except RecursionError:
        raise ReportError(f"{path} nests too deeply to be a pytest-benchmark JSON file") from None
    except json.JSONDecodeError as error:
        raise ReportError(f"{path} is not valid JSON ({error.msg}, line {error.lineno})") from None
    try:
        check_shape(data)
        return Run(data["benchmarks"], data.get("machine_info", {}))
    except ReportError as error:
        raise ReportError(f"{path}: {error}") from None


def format_ratio(value):
    """3.99x, 22.5x, 1262x: for the tables."""
    return f"{value:.2f}x" if value < 10 else f"{value:.1f}x" if value < 100 else f"{value:.0f}x"
