"""Hostile and careless input, over every command that writes or allocates.

Each command is one row of WRITERS: how to give it an output path, and the function where its
work starts (replaced here by a tripwire, so "before any work" is checked, not assumed).  A new
command (trace, experiment, ...) adds a row and inherits every test below.
"""

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import warnings
from dataclasses import dataclass, field

import numpy as np
import pytest

import matrix_net
import scalar_net
from backprop_lab import data, files, limits
from backprop_lab.commands import cli
from backprop_lab.commands.bench import command as bench
from backprop_lab.commands.compare import report
from backprop_lab.commands.shared.errors import BadInput
from backprop_lab.config import Config, prepare
from test_benchreport import synthetic_run

QUICK = ["compare", "--epochs", "20", "--report-every", "10"]


@dataclass
class Writer:
    """One command that writes: ``argv(tmp_path, output)`` gives ``output`` as its one output."""

    name: str
    argv: object
    work: str  # "module:function" where the command's work starts
    folder: bool = False  # the output is a folder (derive --out, bench --out)
    creates_parents: bool = False  # a missing folder above the output is made, not an error
    outputs: tuple = ()  # the files a folder output holds
    file_name: str = "run.out"  # a name for its file output that it accepts (a figure's names its format)


def _bench_input(tmp_path):
    path = tmp_path / "input" / "run.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(synthetic_run()))
    return str(path)


WRITERS = [
    Writer("compare --json", lambda tmp, out: [*QUICK, "--json", out], "backprop_lab.commands.compare.run:run_split"),
    Writer("compare --plot", lambda tmp, out: [*QUICK, "--plot", out], "backprop_lab.commands.compare.run:run_split",
           file_name="run.png"),
    Writer("trace --markdown", lambda tmp, out: ["trace", "--markdown", out], "backprop_lab.commands.trace.step:run"),
    Writer("trace --diagram", lambda tmp, out: ["trace", "--diagram", out], "backprop_lab.commands.trace.step:run",
           file_name="run.png"),
    Writer("derive --out", lambda tmp, out: ["derive", "--out", out], "derivations.documents:generate",
           folder=True, outputs=("01_sigmoid.md",)),
    Writer("bench --out", lambda tmp, out: ["bench", _bench_input(tmp), "--out", out],
           "backprop_lab.commands.bench.report:markdown", folder=True, creates_parents=True,
           outputs=(bench.REPORT_NAME, bench.PLOT_NAME)),
    Writer("experiment --out", lambda tmp, out: ["experiment", "init", "--values", "normal", "--seeds", "1",
                                                 "--epochs", "5", "--jobs", "1", "--out", out],
           "backprop_lab.commands.experiment.seed_runs:run_all", folder=True, creates_parents=True,
           outputs=("report.md", "runs.json", "curves.png", "boundaries.png")),
]
ids = [w.name for w in WRITERS]


def tripwire(monkeypatch, writer):
    module, function = writer.work.split(":")

    def work_started(*args, **kwargs):
        raise AssertionError(f"{writer.name}: work started despite bad input")

    monkeypatch.setattr(f"{module}.{function}", work_started)


def listing(folder):
    """Every path under ``folder`` with its content (files) or None (folders)."""
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None) for p in sorted(folder.rglob("*"))}


def one_line_error(err, status, expected_status=2):
    assert status == expected_status, err
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    return err


# ------------------------------------------------------------------ outputs checked before work


def _long(tmp):
    return str(tmp / ("a" * 300 + ".out"))


def _long_suffix(tmp):  # the name fits (250 bytes), and so must its temporary's
    return str(tmp / ("a." + "b" * 248))


BAD_FILE_PATHS = [  # (what, make(tmp) -> path, named in the message)
    ("300-character name", _long, "304 bytes"),
    ("trailing slash", lambda tmp: str(tmp / "out.json") + "/", "slash"),
    ("folder missing", lambda tmp: str(tmp / "missing" / "out.json"), "does not exist"),
    ("is a folder", lambda tmp: str(tmp), "is a folder"),
    ("empty name", lambda tmp: "", "empty"),
]
BAD_FOLDER_PATHS = [
    ("300-character name", _long, "304 bytes"),
    ("is a file", lambda tmp: (tmp / "file").write_text("x") and str(tmp / "file"), "not a folder"),
    ("folder missing", lambda tmp: str(tmp / "missing" / "deeper"), "does not exist"),
]


def bad_paths(writer):
    if not writer.folder:
        return BAD_FILE_PATHS
    return [case for case in BAD_FOLDER_PATHS if not (writer.creates_parents and case[0] == "folder missing")]


CASES = [(w, case) for w in WRITERS for case in bad_paths(w)]


@pytest.mark.parametrize("writer, case", CASES, ids=[f"{w.name}-{c[0]}" for w, c in CASES])
def test_an_output_that_cannot_be_written_is_one_line_and_exit_2_before_any_work(
        writer, case, tmp_path, monkeypatch, capsys):
    tripwire(monkeypatch, writer)
    what, make, named = case
    argv = writer.argv(tmp_path, make(tmp_path))
    before = listing(tmp_path)
    status = cli.main(argv)
    out, err = capsys.readouterr()
    one_line_error(err, status)
    assert named in err and out == ""
    assert listing(tmp_path) == before  # nothing written, no temporary left


FIGURE_FORMATS = [  # (writer, a file name matplotlib cannot write a figure as, named in the message)
    ("compare --plot", "run.docx", "cannot write a figure as .docx"),
    ("compare --plot", "run", "has no extension"),
    ("compare --plot", "RUN.DOCX", "cannot write a figure as .docx"),
    ("trace --diagram", "diagram.docx", "cannot write a figure as .docx"),
    ("trace --diagram", "diagram", "has no extension"),
]


@pytest.mark.parametrize("name, path, named", FIGURE_FORMATS, ids=[f"{w}-{p}" for w, p, _ in FIGURE_FORMATS])
def test_a_figure_in_a_format_matplotlib_cannot_write_is_refused_before_any_work(
        name, path, named, tmp_path, monkeypatch, capsys):
    from backprop_lab.figures.save import writable_formats

    writer = next(w for w in WRITERS if w.name == name)
    tripwire(monkeypatch, writer)
    status = cli.main(writer.argv(tmp_path, str(tmp_path / path)))
    out, err = capsys.readouterr()
    one_line_error(err, status)
    assert named in err and out == "" and list(tmp_path.iterdir()) == []
    assert err.rstrip().endswith(", ".join("." + f for f in writable_formats()))  # what it can write
    assert {"png", "pdf", "svg", "jpg"} <= set(writable_formats())

def test_a_name_of_250_characters_fits_with_its_temporary(tmp_path, capsys):
    path = _long_suffix(tmp_path)
    assert cli.main([*QUICK, "--json", path]) == 0
    assert [p.name for p in tmp_path.iterdir()] == [os.path.basename(path)]


@pytest.mark.parametrize("writer", WRITERS, ids=ids)
def test_a_target_that_cannot_be_replaced_is_refused_before_any_work(writer, tmp_path, monkeypatch, capsys):
    if shutil.which("chattr") is None:
        pytest.skip("needs chattr to make a file immutable")
    tripwire(monkeypatch, writer)
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / (writer.outputs[0] if writer.folder else "out.json")
    target.write_text("old")
    if subprocess.run(["chattr", "+i", str(target)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i needs root (CAP_LINUX_IMMUTABLE) and a file system with attributes")
    try:
        status = cli.main(writer.argv(tmp_path, str(folder if writer.folder else target)))
        out, err = capsys.readouterr()
        one_line_error(err, status)
        assert "immutable" in err and out == ""
        assert target.read_text() == "old" and sorted(p.name for p in folder.iterdir()) == [target.name]
    finally:
        subprocess.run(["chattr", "-i", str(target)])


@pytest.mark.parametrize("writer", WRITERS, ids=ids)
def test_a_folder_that_cannot_be_written_in_is_refused(writer, tmp_path, monkeypatch, capsys):
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders (the immutable test covers root)")
    tripwire(monkeypatch, writer)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        path = locked / "out" if writer.folder else locked / "out.json"
        status = cli.main(writer.argv(tmp_path, str(path)))
        one_line_error(capsys.readouterr().err, status)
    finally:
        locked.chmod(0o700)


@pytest.mark.parametrize("writer", WRITERS, ids=ids)
def test_a_name_the_terminal_cannot_print_is_refused_before_any_work(writer, tmp_path, monkeypatch, capsys):
    tripwire(monkeypatch, writer)
    monkeypatch.setattr(files, "_terminal_encoding", lambda: "ascii")
    status = cli.main(writer.argv(tmp_path, str(tmp_path / "résumé")))
    err = one_line_error(capsys.readouterr().err, status)
    assert "ascii" in err


PAIRS = [[*QUICK, "--json", "{0}", "--plot", "{1}"], [*QUICK, "--plot", "{0}", "--json", "{1}"],
         ["trace", "--markdown", "{0}", "--diagram", "{1}"]]


@pytest.mark.parametrize("pair", PAIRS, ids=["compare-json-plot", "compare-plot-json", "trace"])
@pytest.mark.parametrize("spelling", ["same.out", "./same.out", "link"])
def test_two_outputs_may_not_name_the_same_file(pair, spelling, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "same.out").write_text("keep")
    os.link(tmp_path / "same.out", tmp_path / "link")
    status = cli.main([a.format("same.out", spelling) for a in pair])
    err = one_line_error(capsys.readouterr().err, status)
    assert "name the same file" in err and (tmp_path / "same.out").read_text() == "keep"


def test_a_file_may_not_go_inside_a_folder_that_is_replaced_whole(tmp_path):
    (tmp_path / "report").mkdir()
    with pytest.raises(files.OutputError, match="replaced whole"):
        files.check_outputs([("--out/", str(tmp_path / "report")), ("--json", str(tmp_path / "report" / "x.json"))])
    files.check_outputs([("--out/", str(tmp_path / "report")), ("--json", str(tmp_path / "report.json"))])


def test_bench_may_not_overwrite_its_own_input(tmp_path, capsys):
    source = tmp_path / bench.REPORT_NAME
    source.write_text(json.dumps(synthetic_run()))
    assert cli.main(["bench", str(source)]) == 2
    assert "input" in capsys.readouterr().err and json.loads(source.read_text())


# ------------------------------------------------------------------ failures while writing


def full_disk(monkeypatch, after=0):
    """Make the (after+1)-th file written raise ENOSPC, as a full disk does at write or fsync."""
    calls = []
    real = files._durable

    def durable(path):
        calls.append(path)
        if len(calls) > after:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(path)

    monkeypatch.setattr(files, "_durable", durable)


@pytest.fixture
def quick_derivations(monkeypatch):
    """derive's documents replaced by three cheap ones, so that derive writes in milliseconds."""
    from derivations import documents

    topics = tuple((f"0{i}_topic.md", f"topic {i}", lambda i=i: f"# topic {i}\n") for i in range(1, 4))
    monkeypatch.setattr(documents, "TOPICS", topics)
    monkeypatch.setattr(documents, "index", lambda: "# index\n")
    return [name for name, _, _ in topics] + ["README.md"]


@pytest.mark.parametrize("writer", WRITERS, ids=ids)
def test_a_full_disk_is_one_line_a_failure_status_and_nothing_half_written(
        writer, tmp_path, monkeypatch, capsys, quick_derivations):
    out = tmp_path / "out"
    if writer.folder:  # an old folder with old files: it must survive whole
        out.mkdir()
        names = quick_derivations if writer.name.startswith("derive") else writer.outputs
        for name in names:
            (out / name).write_text("old " + name)
        target = out
    else:
        out.mkdir()
        target = out / writer.file_name
        target.write_text("old")
    argv = writer.argv(tmp_path, str(target))
    before = listing(tmp_path)
    full_disk(monkeypatch, after=1 if writer.folder else 0)  # a folder: its second file fails
    status = cli.main(argv)
    err = capsys.readouterr().err
    one_line_error(err, status, expected_status=1)
    assert "No space left on device" in err
    after = listing(tmp_path)
    assert after == before, set(after) ^ set(before)  # old content whole, no temporary left


def test_a_full_standard_output_is_one_line_and_a_failure_status():
    if not os.path.exists("/dev/full"):
        pytest.skip("needs /dev/full")
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "backprop_lab", *QUICK], stdout=full, stderr=subprocess.PIPE,
                              text=True, timeout=300)
    one_line_error(done.stderr, done.returncode, expected_status=1)
    assert "standard output" in done.stderr


def test_strict_json_never_holds_nan(tmp_path):
    with pytest.raises(ValueError):
        files.write_json(tmp_path / "x.json", {"loss": float("nan")})
    assert list(tmp_path.iterdir()) == []


def test_a_folder_is_written_all_or_nothing(tmp_path, monkeypatch):
    folder = tmp_path / "generated"
    folder.mkdir()
    for name in ("a.md", "b.md", "c.md"):
        (folder / name).write_text("old")
    written = []

    def writer(name, fail=False):
        def write(path):
            if fail:
                raise OSError(errno.ENOSPC, "No space left on device")
            written.append(name)
            with open(path, "w") as f:
                f.write("new")
        return write

    with pytest.raises(OSError) as raised:
        files.write_folder(folder, {"a.md": writer("a"), "b.md": writer("b"), "c.md": writer("c", fail=True)})
    assert raised.value.filename == str(folder / "c.md")  # the target's name, not its temporary's
    assert written == ["a", "b"]
    assert listing(tmp_path) == {"generated": None, **{f"generated/{n}": b"old" for n in ("a.md", "b.md", "c.md")}}
    files.write_folder(folder, {n: writer(n) for n in ("a.md", "b.md", "c.md")})
    assert listing(tmp_path) == {"generated": None, **{f"generated/{n}": b"new" for n in ("a.md", "b.md", "c.md")}}


def test_derive_refuses_a_folder_with_a_folder_where_a_file_goes_or_other_files(tmp_path, capsys, quick_derivations):
    out = tmp_path / "out"
    (out / quick_derivations[1]).mkdir(parents=True)
    before = listing(tmp_path)
    status = cli.main(["derive", "--out", str(out)])
    assert "is a folder" in one_line_error(capsys.readouterr().err, status)
    (out / quick_derivations[1]).rmdir()
    (out / "notes.txt").write_text("mine")
    status = cli.main(["derive", "--out", str(out)])
    assert "notes.txt" in one_line_error(capsys.readouterr().err, status)
    assert (out / "notes.txt").read_text() == "mine" and len(listing(tmp_path)) == len(before)


# ------------------------------------------------------------------ sizes


@pytest.mark.parametrize("args", [
    ["compare", "--hidden", "100000", "4", "--epochs", "1"],
    ["compare", "--epochs", str(10**12)],
    ["compare", "--dataset", "linear", "--samples", str(10**9)],
    ["compare", "--dataset", "linear", "--samples", str(10**9), "--allow-large"],
    ["trace", "--hidden", "100000"],
    ["trace", "--hidden", "100000", "--allow-large"],
    ["experiment", "lr", "--hidden", "100000", "4", "--epochs", "1", "--out", "{out}"],
    ["experiment", "lr", "--epochs", str(10**9), "--out", "{out}"],
], ids=["compare-wide", "compare-epochs", "compare-samples", "compare-samples-allow-large",
        "trace-wide", "trace-wide-allow-large", "experiment-wide", "experiment-epochs"])
def test_a_run_past_the_memory_limit_is_refused_before_allocating(args, monkeypatch, capsys, tmp_path):
    args = [a.format(out=tmp_path / "report") for a in args]
    def generated(*a, **k):
        raise AssertionError("the data set was generated")

    def initialised(*a, **k):
        raise AssertionError("the weights were drawn")

    monkeypatch.setattr(data, "generate_linear", generated)
    monkeypatch.setattr("backprop_lab.config.init_params", initialised)
    tripwire(monkeypatch, WRITERS[0])
    tripwire(monkeypatch, WRITERS[-1])  # experiment's runs
    started = time.perf_counter()
    status = cli.main(args)
    err = one_line_error(capsys.readouterr().err, status)
    assert "would need about" in err and time.perf_counter() - started < 1


def test_the_default_limit_is_lifted_by_allow_large(monkeypatch, capsys):
    monkeypatch.setattr(limits, "DEFAULT_LIMIT", 1000)  # bytes: every run is past it
    status = cli.main(QUICK)
    assert "--allow-large" in one_line_error(capsys.readouterr().err, status)
    assert cli.main([*QUICK, "--allow-large"]) == 0


def test_the_estimate_covers_scalar_nets_padding():
    wide = limits.network_bytes((2, 100_000, 4, 1))
    assert wide > 3 * 100_000**2 * 8 * 4  # W, its gradient and two moments, 3 layers of 100000^2
    assert limits.network_bytes((2, 4, 4, 1)) < 10_000


def test_data_sizes_are_known_without_generating_the_data(monkeypatch):
    assert data.size("xor") == len(data.load("xor")[0]) and data.size("linear", 37) == len(data.load("linear", n=37)[0])
    monkeypatch.setattr(data, "generate_linear", None)
    assert data.size("linear", 10**12) == 10**12


def test_the_per_sample_printout_is_capped_and_says_how_much_it_left_out(capsys):
    assert cli.main([*QUICK, "--dataset", "linear", "--samples", "130", "--print-samples", "5"]) == 0
    out = capsys.readouterr().out
    assert "125 more samples not shown" in out
    assert [line.split()[0] for line in out.splitlines() if line[:6].strip().isdigit()][-5:] == ["1", "2", "3", "4", "5"]


def test_a_slow_run_shows_its_progress_on_a_terminal_and_erases_it():
    class Terminal:
        text = ""

        def isatty(self):
            return True

        def write(self, s):
            self.text += s

        def flush(self):
            pass

    now = [0.0]
    terminal = Terminal()
    progress = report.Progress(terminal, 10_000, clock=lambda: now[0])
    progress.update("scalar_net", 10)  # right after the last output: quiet
    assert terminal.text == ""
    now[0] = 5.0
    progress.update("matrix_net", 2500)
    assert "matrix_net: epoch 2500 of 10000 (25%)" in terminal.text
    progress.clear()
    assert terminal.text.endswith("\r\x1b[K")
    piped = Terminal()
    piped.isatty = lambda: False
    now[0] = 100.0
    report.Progress(piped, 10, clock=lambda: now[0] - 100).update("scalar_net", 1)
    assert piped.text == ""  # never into a log file


def test_the_run_is_trained_in_calls_that_give_the_same_numbers(monkeypatch):
    from backprop_lab.commands.compare import run as compare

    config = Config(epochs=300, report_every=300, exact=True)
    seen = []
    comparison = compare.run_split(config, on_progress=lambda who, epoch: seen.append((who, epoch)))
    scalar, matrix = comparison.scalar, comparison.matrix
    assert ("scalar_net", 1) in seen and ("matrix_net", 300) in seen and seen[0] == ("compiling", 0)
    X, Y, initial = prepare(config)
    whole = scalar_net.train(initial, X, Y, epochs=300, **config.trainer_options())
    assert all(np.array_equal(a, b) for a, b in zip(whole.params, scalar.params))
    assert all(np.array_equal(a, b) for a, b in zip(whole.params, matrix.params))


# ------------------------------------------------------------------ divergence


BLOWN_UP = Config(dataset="linear", seed=2, activation="relu", loss="bce", lr=1e100, epochs=50)


@pytest.mark.parametrize("trainer", [scalar_net.train, matrix_net.train,
                                     lambda *a, **k: matrix_net.train(*a, exact=True, **k)],
                         ids=["scalar_net", "matrix_net", "matrix_net-exact"])
def test_nan_weights_with_a_finite_loss_are_a_divergence_in_both_trainers(trainer):
    X, Y, initial = prepare(BLOWN_UP)
    with np.errstate(all="ignore"):
        result = trainer(initial, X, Y, epochs=BLOWN_UP.epochs, **BLOWN_UP.trainer_options())
    assert result.diverged_at == result.epochs_run == 3
    assert np.isfinite(result.loss[-1])  # ReLU maps NaN to 0: the loss alone would not tell
    assert not all(np.isfinite(p).all() for p in result.params)


def test_compare_stops_a_blown_up_run_and_says_at_which_epoch(tmp_path, capsys):
    path = tmp_path / "run.json"
    status = cli.main(["compare", "--dataset", "linear", "--seed", "2", "--activation", "relu", "--loss", "bce",
                       "--lr", "1e100", "--json", str(path)])
    err = one_line_error(capsys.readouterr().err, status, expected_status=1)
    assert "diverged at epoch 3" in err and "parameters" in err
    assert not path.exists() and list(tmp_path.iterdir()) == []


def test_huge_but_finite_weights_predict_without_a_warning(recwarn):
    config = Config(activation="relu")
    X, _, initial = prepare(config)
    huge = [p * 1e300 for p in initial]
    side = type("Side", (), {"params": huge})
    y_hat = report.predictions(config, X, side, side)
    assert all(np.isfinite(v).all() for v in y_hat.values())
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


# ------------------------------------------------------------------ bench files of the wrong shape


def mutated(change):
    document = synthetic_run()
    change(document)
    return document


def _set(path, value):
    def change(document):
        target = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


def _drop(path):
    def change(document):
        target = document
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
    return change


WRONGLY_TYPED = [  # (change, field named in the error)
    (_set(["benchmarks", 0, "extra_info", "implementation"], ["scalar_net"]), "benchmarks[0].extra_info.implementation"),
    (_set(["benchmarks", 0, "extra_info", "workload"], {"a": 1}), "benchmarks[0].extra_info.workload"),
    (_set(["benchmarks", 1, "extra_info", "n"], "100"), "benchmarks[1].extra_info.n"),
    (_set(["benchmarks", 1, "extra_info", "hidden"], True), "benchmarks[1].extra_info.hidden"),
    (_drop(["benchmarks", 2, "extra_info", "batch_size"]), "'batch_size' is missing"),
    (_drop(["benchmarks", 2, "stats"]), "'stats' is missing"),
    (_set(["benchmarks", 3, "stats", "min"], float("inf")), "benchmarks[3].stats.min"),
    (_set(["benchmarks", 3, "stats", "min"], "fast"), "benchmarks[3].stats.min"),
    (_set(["benchmarks", 0, "name"], ["a", "b"]), "benchmarks[0].name"),
    (_set(["benchmarks", 0, "extra_info", "op_count"], {"exps": "many"}), "benchmarks[0].extra_info.op_count"),
    (_set(["benchmarks", 0, "extra_info"], []), "benchmarks[0].extra_info"),
    (_set(["benchmarks", 4], "record"), "benchmarks[4]"),
    (_set(["machine_info", "cpu", "count"], "two"), "machine_info.cpu.count"),
    (_set(["machine_info", "libraries"], ["numpy"]), "machine_info.libraries"),
    (_set(["machine_info"], 7), "machine_info"),
]


@pytest.mark.parametrize("change, field", WRONGLY_TYPED, ids=[f for _, f in WRONGLY_TYPED])
def test_a_wrongly_typed_bench_file_names_the_field(change, field, tmp_path, capsys):
    path = tmp_path / "run.json"
    path.write_text(json.dumps(mutated(change)))  # Infinity: what json.dumps writes for inf
    assert cli.main(["bench", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and field in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_another_projects_benchmarks_are_skipped_not_refused(tmp_path, capsys):
    document = synthetic_run()
    document["benchmarks"].append({"name": "theirs", "extra_info": {"anything": [1]}, "stats": {"min": "n/a"}})
    path = tmp_path / "run.json"
    path.write_text(json.dumps(document))
    assert cli.main(["bench", str(path), "--out", str(tmp_path / "out")]) == 0


# ------------------------------------------------------------------ the command line


@pytest.mark.parametrize("args, named", [
    (["compare", "--ep", "5"], "--ep"),
    (["compare", "--epochs", "5", "--epochs", "6"], "given twice"),
    (["compare", "--epochs=5", "--epochs", "6"], "given twice"),
    (["compare", "--no-bias", "--no-bias"], "given twice"),
    (["derive", "--ou", "x"], "--ou"),
    (["bench", "x.json", "--out", "a", "--out", "b"], "given twice"),
    (["bench", "x.json", "--ou", "a"], "--ou"),
])
def test_abbreviations_and_repeated_options_are_refused(args, named, capsys):
    status = cli.main(args)
    assert named in one_line_error(capsys.readouterr().err, status)


ONE_ARGUMENT = [  # (argv, the error's start): a bad value of one argument alone, whatever the others are
    (["compare", "--animate", "run.png"], "argument --animate: 'run.png' must end in .gif"),
    (["trace", "--digits", "18"], "argument --digits: must be between 1 and 17"),
    (["trace", "--target", "2"], "argument --target: must be between 0 and 1, got 2"),
    (["trace", "--samples", *map(str, range(1, 12))], "argument --samples: at most 10 samples, got 11"),
    (["experiment", "lr", "--seeds", "0", "--out", "report"], "argument --seeds: must be at least 1, got 0"),
    (["experiment", "frobnicate", "--out", "report"], "argument NAME: unknown experiment 'frobnicate'"),
]


@pytest.mark.parametrize("args, message", ONE_ARGUMENT, ids=[" ".join(a[:3]) for a, _ in ONE_ARGUMENT])
def test_a_bad_value_of_one_argument_is_refused_by_the_parser_like_any_other(args, message, capsys):
    with pytest.raises(BadInput) as refused:
        cli.parser().parse_args(args)
    assert str(refused.value).startswith(message)
    assert cli.main(args) == 2
    assert capsys.readouterr().err == f"backprop-lab: error: {refused.value}\n"


def test_options_without_effect_get_one_note(capsys):
    assert cli.main([*QUICK, "--momentum", "0.5", "--samples", "10", "--beta1", "0.8"]) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("backprop-lab: note:")
    assert "--momentum" in err and "--samples" in err and "--beta1" in err
    assert cli.main([*QUICK, "--optimizer", "momentum", "--momentum", "0.5"]) == 0
    assert capsys.readouterr().err == ""
    assert cli.main(["trace", "--leaky-slope", "0.1"]) == 0
    assert capsys.readouterr().err == "backprop-lab: note: --leaky-slope has no effect without --activation leaky-relu\n"
    assert cli.main(["trace", "--momentum-form", "average"]) == 0
    assert capsys.readouterr().err == "backprop-lab: note: --momentum-form has no effect without --optimizer momentum\n"
    assert cli.main(["trace", "--optimizer", "momentum", "--momentum", "0.5", "--momentum-form", "average"]) == 0
    assert capsys.readouterr().err == ""


# ------------------------------------------------------------------ signals (subprocesses)


INTERRUPT_DURING_CACHE_LOAD = textwrap.dedent("""
    import os, signal, sys
    from numba.core.codegen import CPUCodeLibrary

    # Numba hands LLVM its cached object code through this hook, which LLVM calls through a
    # ctypes callback: a Ctrl-C that lands here raises inside the callback.
    original = CPUCodeLibrary._object_getbuffer_hook.__func__
    def hook(cls, ll_module):
        os.kill(os.getpid(), signal.SIGINT)
        return original(cls, ll_module)
    CPUCodeLibrary._object_getbuffer_hook = classmethod(hook)

    from backprop_lab.commands.cli import main
    sys.exit(main(["compare", "--epochs", "1000000", "--report-every", "1000000", "--json", sys.argv[1]]))
""")


def test_ctrl_c_while_numba_loads_its_cache_stops_the_run(tmp_path):
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", INTERRUPT_DURING_CACHE_LOAD, str(tmp_path / "run.json")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 130, done.stderr
    assert done.stderr == "" and list(tmp_path.iterdir()) == []
    assert time.perf_counter() - started < 60  # a million epochs would take minutes


SIGTERM_DURING_WRITE = textwrap.dedent("""
    import sys, time
    import backprop_lab.files as files

    def slow(path):  # the file is written but not yet renamed: the moment a SIGTERM must not spoil
        print("writing", flush=True)
        time.sleep(60)

    files._durable = slow
    from backprop_lab.commands.cli import main
    sys.exit(main(["compare", "--epochs", "10", "--json", sys.argv[1]]))
""")


def test_sigterm_during_a_write_exits_143_and_leaves_nothing_behind(tmp_path):
    process = subprocess.Popen([sys.executable, "-c", SIGTERM_DURING_WRITE, str(tmp_path / "run.json")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for line in process.stdout:
            if line.strip() == "writing":
                break
        assert [p.name for p in tmp_path.iterdir()][0].startswith(files.PREFIX)  # mid-write
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 143
    finally:
        process.kill()
        process.wait()
    assert process.stderr.read() == "" and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", [["--activation", "relu", "--lr", "1e200"],
                                  ["--activation", "tanh", "--optimizer", "momentum", "--lr", "1e308"]],
                         ids=["relu-1e200", "tanh-momentum-1e308"])
def test_no_warning_reaches_the_terminal_at_huge_step_sizes(args, tmp_path, capsys):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        status = cli.main(["compare", "--epochs", "3000", "--report-every", "3000", *args,
                           "--plot", str(tmp_path / "run.png"), "--json", str(tmp_path / "run.json")])
    assert status in (0, 1) and caught == []
    err = capsys.readouterr().err
    assert "Warning" not in err and "Traceback" not in err
    if status == 0:
        json.loads((tmp_path / "run.json").read_text(), parse_constant=pytest.fail)  # strict JSON


JSON_INPUTS = {  # a command that reads a JSON file the user gives: its argv for the file at PATH
    "trace --params": lambda path, tmp: ["trace", "--params", path],
    "bench": lambda path, tmp: ["bench", path, "--out", str(tmp / "out")],
}
HOSTILE_JSON = [  # (what, content, named in trace's error, named in bench's)
    ("missing", None, "cannot read", "cannot read"),
    ("not UTF-8", b"\xff\xfe", "utf-8", "not a text file"),
    ("not JSON", b"{not json", "not a JSON file", "not valid JSON"),
    ("NaN", b'{"lr": NaN}', "initial_params", "not a pytest-benchmark JSON file"),
    ("nested too deeply", b"[" * 100_000 + b"]" * 100_000, "nests too deeply", "nests too deeply"),
]


@pytest.mark.parametrize("command", JSON_INPUTS)
@pytest.mark.parametrize("what, content, named_by_trace, named_by_bench", HOSTILE_JSON,
                         ids=[case[0] for case in HOSTILE_JSON])
def test_a_json_file_that_cannot_be_used_is_one_line_naming_the_problem(
        command, what, content, named_by_trace, named_by_bench, tmp_path, capsys):
    path = tmp_path / "input.json"
    if content is not None:
        path.write_bytes(content)
    status = cli.main(JSON_INPUTS[command](str(path), tmp_path))
    named = named_by_trace if command.startswith("trace") else named_by_bench
    assert named in one_line_error(capsys.readouterr().err, status)
    assert sorted(p.name for p in tmp_path.iterdir()) == ([] if content is None else ["input.json"])


def test_json_is_written_strictly_and_reads_back_as_written(tmp_path):
    files.write_json(tmp_path / "ok.json", {"a": [1, 2.5], "b": None})
    assert json.loads((tmp_path / "ok.json").read_text(), parse_constant=pytest.fail) == {"a": [1, 2.5], "b": None}
