"""Hostile and careless input, over every command that writes or allocates.

Each command is one row of WRITERS: how to give it an output path, and the function where its
work starts (replaced here by a tripwire, so "before any work" is checked, not assumed).  A new
command (trace, experiment, ...) adds a row and inherits every test below.
"""

import errno
import io
import json
import os
import pathlib
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
import cheap_derivations
import scalar_net
from backprop_lab import data, files, limits
from backprop_lab.commands import cli
from backprop_lab.commands.bench import command as bench
from backprop_lab.commands.compare import report
from backprop_lab.commands.shared.checks import network_bytes
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


def _points_csv(tmp):
    path = tmp / "pts.csv"
    path.write_text("".join(f"{i % 5 / 5},{i % 3 / 3},{i % 2}\n" for i in range(20)))
    return str(path)


def _params_json(tmp):
    path = tmp / "m.json"
    sizes = Config().sizes
    path.write_text(json.dumps([np.full(shape, 0.1).tolist() for a, b in zip(sizes, sizes[1:])
                                for shape in ((a, b), (b,))]))
    return str(path)


def _student_py(tmp):
    path = tmp / "student.py"
    path.write_text("def gradients(params, X, y):\n    return []\n")
    return str(path)


OUTPUT_NAMES_INPUT = [  # (what, argv(input path) with the output naming the input, make the input)
    ("compare --data --json", lambda p: [*QUICK, "--data", p, "--json", p], _points_csv),
    ("compare --data --plot", lambda p: [*QUICK, "--data", p, "--plot", p], _points_csv),
    ("compare --data --plot (its companion)",
     lambda p: [*QUICK, "--data", p, "--plot", p.replace("-neurons.csv", ".csv")],
     lambda tmp: os.rename(_points_csv(tmp), tmp / "pts-neurons.csv") or str(tmp / "pts-neurons.csv")),
    ("compare --data (./) --json", lambda p: [*QUICK, "--data", p, "--json", os.path.join(os.path.dirname(p), ".", "pts.csv")],
     _points_csv),
    ("compare --data (a link) --json", lambda p: [*QUICK, "--data", p, "--json", p.replace("pts.csv", "link.csv")],
     lambda tmp: os.symlink("pts.csv", tmp / "link.csv") or _points_csv(tmp)),
    ("trace --params --markdown", lambda p: ["trace", "--params", p, "--markdown", p], _params_json),
    ("trace --params --diagram", lambda p: ["trace", "--params", p, "--diagram", p], _params_json),
    ("check --json", lambda p: ["check", p, "--json", p], _student_py),
    ("bench --out", lambda p: ["bench", p, "--out", os.path.dirname(p)],
     lambda tmp: (tmp / bench.REPORT_NAME).write_text(json.dumps(synthetic_run())) and str(tmp / bench.REPORT_NAME)),
]


@pytest.mark.parametrize("what, argv, make", OUTPUT_NAMES_INPUT, ids=[c[0] for c in OUTPUT_NAMES_INPUT])
def test_an_output_may_not_name_an_input(what, argv, make, tmp_path, monkeypatch, capsys):
    for writer in WRITERS:
        tripwire(monkeypatch, writer)
    monkeypatch.setattr("backprop_lab.check.check_file", lambda *a, **k: pytest.fail("check started"))
    source = make(tmp_path)
    before = listing(tmp_path)
    status = cli.main(argv(source))
    out, err = capsys.readouterr()
    err = one_line_error(err, status)
    assert "input" in err and out == ""
    assert listing(tmp_path) == before  # the input as it was


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


def test_an_input_inside_a_folder_replaced_whole_is_refused(tmp_path):
    (tmp_path / "report").mkdir()
    with pytest.raises(files.OutputError, match="inside it"):
        files.check_outputs([("--out/", str(tmp_path / "report"))], inputs=[("--data", str(tmp_path / "report" / "a.csv"))])
    files.check_outputs([("--out/", str(tmp_path / "report"))], inputs=[("--data", str(tmp_path / "a.csv")), ("--x", None)])


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
    return cheap_derivations.install(monkeypatch.setattr)


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


def _interrupt(*args, **kwargs):
    raise KeyboardInterrupt


class FullStdout(io.StringIO):
    """A standard output on a full device: what is printed is buffered, and the flush fails."""

    def flush(self):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


EXPERIMENT_QUICK = ["experiment", "init", "--values", "normal", "--seeds", "1", "--epochs", "5", "--jobs", "1"]
ONE_UNIT = [  # (what, argv in tmp, what fails ("module:attribute" raising KeyboardInterrupt, or "stdout"), status)
    ("compare interrupted before p-neurons.png", lambda tmp: [*QUICK, "--json", f"{tmp}/j.json", "--plot", f"{tmp}/p.png"],
     "backprop_lab.figures.neurons:neuron_figure", 130),
    ("compare interrupted before the GIF's first frame",
     lambda tmp: [*QUICK, "--json", f"{tmp}/j.json", "--animate", f"{tmp}/a.gif"],
     "matplotlib.animation:PillowWriter.grab_frame", 130),
    ("trace interrupted before d.png", lambda tmp: ["trace", "--markdown", f"{tmp}/m.md", "--diagram", f"{tmp}/d.png"],
     "backprop_lab.figures.diagram:figure", 130),
    ("bench interrupted in new folders", lambda tmp: ["bench", _bench_input(tmp), "--out", f"{tmp}/new/deeper"],
     "backprop_lab.commands.bench.figure:plot", 130),
    ("experiment interrupted in new folders", lambda tmp: [*EXPERIMENT_QUICK, "--out", f"{tmp}/new/report"],
     "backprop_lab.commands.experiment.report:figures", 130),
    ("bench to a full stdout", lambda tmp: ["bench", _bench_input(tmp), "--out", f"{tmp}/out"], "stdout", 1),
    ("derive to a full stdout", lambda tmp: ["derive", "--out", f"{tmp}/out"], "stdout", 1),
    ("trace to a full stdout", lambda tmp: ["trace", "--markdown", f"{tmp}/m.md"], "stdout", 1),
    ("experiment to a full stdout", lambda tmp: [*EXPERIMENT_QUICK, "--out", f"{tmp}/out"], "stdout", 1),
]


@pytest.mark.parametrize("what, argv, fails, status", ONE_UNIT, ids=[c[0] for c in ONE_UNIT])
def test_a_runs_outputs_are_written_together_or_not_at_all(what, argv, fails, status, tmp_path, monkeypatch,
                                                           capsys, quick_derivations):
    argv = argv(tmp_path)
    if fails == "stdout":  # an old folder: its old files must stay, not the new ones swapped in
        (tmp_path / "out").mkdir()
        monkeypatch.setattr(cli, "_silence_stdout", lambda: None)
    before = listing(tmp_path)
    if fails == "stdout":
        monkeypatch.setattr(sys, "stdout", FullStdout())
    else:
        module, attribute = fails.split(":")
        owner, _, name = attribute.rpartition(".")
        target = getattr(__import__(module, fromlist=["x"]), owner) if owner else __import__(module, fromlist=["x"])
        monkeypatch.setattr(target, name, _interrupt)
    done = cli.main(argv)
    monkeypatch.undo()
    err = capsys.readouterr().err
    assert done == status, err
    assert "Traceback" not in err and len(err.splitlines()) <= 1, err
    assert listing(tmp_path) == before  # nothing new, nothing half-written, no empty folder, no temporary


FOLDER_OUTPUTS = [  # (what, argv given the folder, the files it holds afterwards)
    ("experiment", lambda tmp, out: [*EXPERIMENT_QUICK, "--out", out], ("report.md", "runs.json", "curves.png")),
    ("derive", lambda tmp, out: ["derive", "--out", out], ("01_topic.md", "README.md")),
    ("bench", lambda tmp, out: ["bench", _bench_input(tmp), "--out", out], (bench.REPORT_NAME, bench.PLOT_NAME)),
]


@pytest.mark.parametrize("what, argv, holds", FOLDER_OUTPUTS, ids=[c[0] for c in FOLDER_OUTPUTS])
def test_out_dot_keeps_the_current_folder_and_a_link_is_written_through(what, argv, holds, tmp_path, monkeypatch,
                                                                         capsys, quick_derivations):
    here = tmp_path / "here"
    here.mkdir()
    inode = here.stat().st_ino
    monkeypatch.chdir(here)
    assert cli.main(argv(tmp_path, ".")) == 0, capsys.readouterr().err
    assert os.getcwd() == str(here) and here.stat().st_ino == inode  # not swapped away under the shell
    assert set(holds) <= set(os.listdir(here))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "link").symlink_to("here")
    (here / holds[0]).write_text("old")
    assert cli.main(argv(tmp_path, "link")) == 0, capsys.readouterr().err
    assert (tmp_path / "link").is_symlink() and os.readlink(tmp_path / "link") == "here"  # still the link
    assert (here / holds[0]).read_text() != "old"  # written through it
    assert not [p for p in tmp_path.rglob(files.PREFIX + "*")]


def _huge_params(tmp):
    """Weights of 1e308 for the 2-4-4-1 network: the traced step's numbers overflow to inf and NaN."""
    path = tmp / "huge.json"
    path.write_text(json.dumps([[[1e308] * 4] * 2, [1e308] * 4, [[1e308] * 4] * 4, [-1e308] * 4, [[1e308]] * 4, [1e308]]))
    return str(path)


def _far_points(value):
    def make(tmp):
        path = tmp / "far.csv"
        path.write_text(f"x0,x1,y\n{value},-{value},1\n-{value},{value},0\n0,0,1\n1,1,0\n")
        return str(path)
    return make


UNDRAWABLE = [  # (what, argv in tmp, exit status, the files written, named in the one line)
    ("trace --diagram of NaN and inf", lambda tmp: ["trace", "--params", _huge_params(tmp), "--activation", "relu",
                                                    "--input", "1e308", "1e308", "--target", "0",
                                                    "--diagram", f"{tmp}/d.png"], 0, {"d.png"}, ""),
    *[(f"compare {option} of points at ±{value}", lambda tmp, option=option, value=value: [
        *QUICK, "--data", _far_points(value)(tmp), "--json", f"{tmp}/j.json", option, f"{tmp}/p.{ext}"],
       2, set(), option) for option, ext in (("--plot", "png"), ("--animate", "gif"))
      for value in ("1.7e308", "5e307")],
]


@pytest.mark.parametrize("what, argv, status, written, named", UNDRAWABLE, ids=[c[0] for c in UNDRAWABLE])
def test_numbers_a_figure_cannot_draw_are_checked_first_or_drawn_as_what_they_are(
        what, argv, status, written, named, tmp_path, capsys):
    argv = argv(tmp_path)
    before = set(os.listdir(tmp_path))
    done = cli.main(argv)
    err = capsys.readouterr().err
    assert done == status, err
    assert "Traceback" not in err and len(err.splitlines()) == (1 if status else 0), err
    assert named in err
    assert set(os.listdir(tmp_path)) - before == written  # all of the run's files, or none


def test_a_diagram_says_which_of_its_numbers_are_not_finite(tmp_path):
    from matplotlib.text import Text

    from backprop_lab.commands.trace import step as trace
    from backprop_lab.figures import diagram

    config = Config(activation="relu", epochs=1, exact=True)
    params = [np.full((2, 4), 1e308), np.full(4, 1e308), np.full((4, 4), 1e308), np.full(4, -1e308),
              np.full((4, 1), 1e308), np.full(1, 1e308)]
    with np.errstate(all="ignore"):
        step = trace.run(config, np.array([[1e308, 1e308]]), np.array([[0.0]]), params, ["your point"])
    figure = diagram.figure(step)
    texts = " ".join(t.get_text() for t in figure.findobj(Text))
    count = diagram.not_finite_count(step)
    assert count > 0 and f"{count} of the numbers on the edges are not finite" in texts
    widths = [line.get_linewidth() for ax in figure.axes for line in ax.get_lines()]
    assert all(np.isfinite(widths)) and max(widths) > 1  # the 1e308 weights drawn wide, not at infinite width


def test_a_wide_diagram_is_drawn_promptly_and_says_what_it_left_out(tmp_path):
    from matplotlib.text import Text

    from backprop_lab.commands.trace import step as trace
    from backprop_lab.figures import diagram

    config = Config(hidden=(300, 300), epochs=1, exact=True)
    X, Y, params = prepare(config)
    step = trace.run(config, X[:1], Y[:1], params, ["linear sample 1"])
    started = time.perf_counter()
    figure = diagram.figure(step)
    width, height = figure.get_size_inches()
    assert height <= 2 * diagram.MAX_PANEL_HEIGHT + 1  # not a 23,000-pixel image
    texts = " ".join(t.get_text() for t in figure.findobj(Text))
    assert f"edges of largest |number| of {2 * 300 + 300 * 300 + 300:,} drawn" in texts
    drawn = sum(len(c.get_segments()) for ax in figure.axes for c in ax.collections if hasattr(c, "get_segments"))
    assert drawn <= 2 * diagram.MAX_EDGES + 600  # ties at the threshold aside
    files.write_files({str(tmp_path / "d.png"): lambda tmp: figure.savefig(tmp, format="png", dpi=150)})
    assert time.perf_counter() - started < 60  # it took more than 200 s


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
    ["experiment", "lr", "--seeds", str(10**9), "--out", "{out}"],
    ["experiment", "lr", "--seeds", "3000000", "--epochs", "1", "--out", "{out}"],
    ["experiment", "lr", "--seeds", "1000", "--jobs", "1000", "--out", "{out}"],
    ["compare", "--hidden", "2000", "--plot", "{out}.png"],
], ids=["compare-wide", "compare-epochs", "compare-samples", "compare-samples-allow-large",
        "trace-wide", "trace-wide-allow-large", "experiment-wide", "experiment-epochs", "experiment-seeds",
        "experiment-3-million-runs", "experiment-a-thousand-workers", "compare-wide-drawn"])
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
    tripwire(monkeypatch, Writer("experiment's plan", None, "backprop_lab.commands.experiment.planning:Plan.tasks"))
    started = time.perf_counter()
    status = cli.main(args)
    err = one_line_error(capsys.readouterr().err, status)
    assert "would need about" in err and time.perf_counter() - started < 1


def test_a_depth_past_the_limit_is_refused_from_the_number(capsys):
    started = time.perf_counter()
    status = cli.main(["experiment", "depth", "--values", str(10**8), "--out", "unused"])
    assert "at most 1000" in one_line_error(capsys.readouterr().err, status) and time.perf_counter() - started < 1


def test_traces_estimate_counts_the_diagram_it_draws(monkeypatch, capsys):
    asked = []

    def measured(needed, allow_large):
        asked.append(needed)
        raise BadInput("estimated")

    monkeypatch.setattr("backprop_lab.commands.trace.command.check_memory", measured)
    for diagram in ([], ["--diagram", "unused.png"]):
        assert cli.main(["trace", "--hidden", "300", "300", *diagram]) == 2
    assert asked[1] - asked[0] == limits.diagram_bytes((2, 300, 300, 1)) > 300 * 300 * 8


def test_the_default_limit_is_lifted_by_allow_large(monkeypatch, capsys):
    monkeypatch.setattr(limits, "DEFAULT_LIMIT", 1000)  # bytes: every run is past it
    status = cli.main(QUICK)
    assert "--allow-large" in one_line_error(capsys.readouterr().err, status)
    assert cli.main([*QUICK, "--allow-large"]) == 0


def test_the_estimate_covers_scalar_nets_padding():
    wide = network_bytes((2, 100_000, 4, 1))
    assert wide > 3 * 100_000**2 * 8 * 4  # W, its gradient and two moments, 3 layers of 100000^2
    assert network_bytes((2, 4, 4, 1)) < 10_000


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
    out, err = capsys.readouterr()
    err = one_line_error(err, status, expected_status=1)
    assert "diverged at epoch 3" in err and "parameters" in err
    assert [p.name for p in tmp_path.iterdir()] == ["run.json"] and f"wrote {path}" in out  # its record


def _figure_texts(figure):
    from matplotlib.text import Text

    return " ".join(t.get_text() for t in figure.findobj(Text))


def _drawn_epochs(figure):
    """The last epoch of every line of a learning curve (an x axis of epochs from 1) in ``figure``."""
    return {line.get_label(): max(line.get_xdata(), default=0) for ax in figure.axes for line in ax.get_lines()
            if "training" in line.get_label()}


def _check_compare_record(tmp_path, out, figures):
    document = json.loads((tmp_path / "run.json").read_text(), parse_constant=pytest.fail)  # strict JSON
    diverged = document["diverged"]
    assert diverged["trainer"] == "scalar_net" and diverged["epoch"] == 7
    for side in document["trainers"].values():
        assert side["diverged_at"] == 7 and len(side["loss"]) == 7 and side["loss"][-1] is None  # NaN: null
        assert all(isinstance(v, float) for v in side["loss"][:-1])  # the history up to it, as it was
        assert side["last_finite"]["epoch"] == 6
        assert len(side["gradient_norms"]) == 7 and all(len(row) == 3 for row in side["gradient_norms"])
        assert np.isfinite(np.concatenate([np.ravel(p) for p in side["last_finite"]["params"]])).all()
    assert sorted(figures) == ["run-curve.png", "run-gradients.png", "run-lab.png", "run-neurons.png", "run.png"]
    for name, figure in figures.items():
        assert "DIVERGED at epoch 7 (scalar_net): drawn at epoch 6" in _figure_texts(figure), name
    for name in ("run.png", "run-curve.png"):  # the curves up to the last finite epoch
        assert set(_drawn_epochs(figures[name]).values()) == {6}, name
    gradient_lines = [line for ax in figures["run-gradients.png"].axes for line in ax.get_lines()]
    assert len(gradient_lines) == 3 and {max(line.get_xdata()) for line in gradient_lines} == {6}
    assert (tmp_path / "run.gif").stat().st_size > 0


def _check_experiment_record(tmp_path, out, figures):
    report_md = (tmp_path / "report" / "report.md").read_text()
    assert "**1** (2 of 4: seeds 2, 4)" in report_md  # which runs diverged
    document = json.loads((tmp_path / "report" / "runs.json").read_text(), parse_constant=pytest.fail)
    assert json.dumps(document).count('"diverged_at": null') == 2
    assert "2 of 4 diverged" in _figure_texts(figures["curves.png"])


DIVERGING = [  # (command, argv in tmp, exit status, what its record must hold)
    ("compare", lambda tmp: ["compare", "--loss", "bce", "--activation", "identity", "--lr", "1e3", "--epochs", "1000",
                             "--test-fraction", "0.2", "--json", str(tmp / "run.json"), "--plot", str(tmp / "run.png"),
                             "--animate", str(tmp / "run.gif")], 1, _check_compare_record),
    ("experiment", lambda tmp: ["experiment", "lr", "--loss", "bce", "--activation", "identity", "--values", "1",
                                "--seeds", "4", "--epochs", "300", "--jobs", "1", "--out", str(tmp / "report")], 0,
     _check_experiment_record),  # seeds 2 and 4 diverge, 1 and 3 do not: the log axis overflowed
]


@pytest.mark.parametrize("command, argv, status, check", DIVERGING, ids=[c[0] for c in DIVERGING])
def test_a_diverged_run_keeps_its_record(command, argv, status, check, tmp_path, monkeypatch, capsys):
    from backprop_lab.figures import save

    figures, real_save, real_write, real_writer = {}, save.save, save.write_figure, save.figure_writer

    def saved(figure, path, **kwargs):  # a file, through a temporary
        figures[os.path.basename(path)] = figure
        return real_save(figure, path, **kwargs)

    def staged(figure, path, **kwargs):  # one of a run's outputs (backprop_lab.files.Outputs)
        figures[os.path.basename(path)] = figure
        return real_writer(figure, path, **kwargs)

    def written(figure, file, **kwargs):  # a file in a folder written whole (its temporary's own name)
        if not os.path.basename(str(file)).startswith(files.PREFIX):
            figures[os.path.basename(str(file))] = figure
        return real_write(figure, file, **kwargs)

    monkeypatch.setattr(save, "save", saved)
    monkeypatch.setattr(save, "figure_writer", staged)
    monkeypatch.setattr(save, "write_figure", written)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        done = cli.main(argv(tmp_path))
    out, err = capsys.readouterr()
    assert done == status, err
    assert "Traceback" not in err and len(err.splitlines()) <= 1 and caught == []
    check(tmp_path, out, figures)
    assert not [p for p in tmp_path.rglob(files.PREFIX + "*")]  # no temporary left


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
    # Numbers the report's ratios and the figure's log axes cannot compute with:
    (_set(["benchmarks", 13, "extra_info", "hidden"], 10**30), "benchmarks[13].extra_info.hidden"),  # 1e30 wide
    (_set(["benchmarks", 13, "stats", "min"], 1e-320), "benchmarks[13].stats.min"),  # its ratios underflow
    (_set(["benchmarks", 12, "stats", "min"], 1e300), "benchmarks[12].stats.min"),
    (_set(["benchmarks", 0, "extra_info", "op_count"], {"exps": 1e300}), "benchmarks[0].extra_info.op_count"),
    # A digits record (benchmarks/bench_digits.py's) whose net the report names from its sizes and depth:
    (_set(["benchmarks", 24, "extra_info", "sizes"], "64-16-10"), "benchmarks[24].extra_info.sizes"),
    (_set(["benchmarks", 24, "extra_info", "sizes"], [64]), "benchmarks[24].extra_info.sizes"),
    (_set(["benchmarks", 24, "extra_info", "depth"], 1.5), "benchmarks[24].extra_info.depth"),
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
    (["trace", "--target", "inf"], "argument --target: must be a finite number, got inf"),  # its range: the data's
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


NEGATIVE_NUMBERS = [  # (argv, the error's start, or None: accepted): a negative number in exponent form is a value
    (["compare", "--lr", "-1e-3"], "argument --lr: must be positive, got -1e-3"),
    (["compare", "--lr", "-1E+3"], "argument --lr: must be positive, got -1E+3"),
    (["compare", "--lr", "-inf"], "argument --lr: must be a finite number, got -inf"),
    (["experiment", "lr", "--lr", "-1e-3", "--out", "report"], "argument --lr: must be positive, got -1e-3"),
    (["trace", "--lr", "-.5e1"], "argument --lr: must be positive, got -.5e1"),
    (["experiment", "lr", "--values", "1e-3", "-1e-2", "--out", "report"],
     "experiment lr: a step size must be positive, got -1e-2"),  # a value of --values, checked by the plan
    (["compare", "--leaky-slope", "-1e-2", "--activation", "leaky-relu"], None),
    (["experiment", "lr", "--leaky-slope", "-1e-2", "--activation", "leaky-relu", "--out", "report"], None),
    (["trace", "--input", "1e308", "-1e308", "--target", "1"], None),
    (["check", "student.py", "--leaky-slope", "-2.5E-1", "--activation", "leaky-relu"], None),
]


@pytest.mark.parametrize("args, message", NEGATIVE_NUMBERS, ids=[" ".join(a[:3]) for a, _ in NEGATIVE_NUMBERS])
def test_a_negative_number_in_exponent_form_is_a_value_not_an_option(args, message, capsys):
    if message is None:
        parsed = cli.parser().parse_args(args)
        if "--input" in args:
            assert parsed.input == [1e308, -1e308]
        else:
            assert parsed.leaky_slope == float(args[args.index("--leaky-slope") + 1]) < 0
        return
    if args[:3] != ["experiment", "lr", "--values"]:
        with pytest.raises(BadInput) as refused:
            cli.parser().parse_args(args)
        assert str(refused.value) == message
    assert cli.main(args) == 2
    assert capsys.readouterr().err == f"backprop-lab: error: {message}\n"


EXPERIMENT = ["experiment", "lr", "--values", "1", "--seeds", "1", "--jobs", "1", "--out", "{tmp}/report"]
NO_EFFECT = [  # (argv, the flags named in the one note; none: no note), {params} a weights file, {tmp} a folder
    ([*QUICK, "--momentum", "0.5", "--samples", "10", "--beta1", "0.8"], ["--momentum", "--samples", "--beta1"]),
    ([*QUICK, "--optimizer", "momentum", "--momentum", "0.5"], []),
    ([*EXPERIMENT, "--momentum", "0.5"], ["--momentum"]),
    ([*EXPERIMENT, "--leaky-slope", "0.2"], ["--leaky-slope"]),
    ([*EXPERIMENT, "--samples", "50"], ["--samples"]),  # the lr experiment runs on xor
    ([*EXPERIMENT, "--samples", "50", "--dataset", "linear", "--optimizer", "momentum", "--momentum", "0.5"], []),
    (["experiment", "optimizer", "--seeds", "1", "--out", "{tmp}/report", "--momentum", "0.5", "--beta2", "0.9"], []),
    (["experiment", "activation", "--seeds", "1", "--out", "{tmp}/report", "--leaky-slope", "0.2"], []),
    (["experiment", "table", "--seeds", "1", "--out", "{tmp}/report", "--samples", "50"], []),  # every data set
    (["trace", "--leaky-slope", "0.1"], ["--leaky-slope"]),
    (["trace", "--params", "{params}", "--init", "normal"], ["--init"]),
    (["trace", "--params", "{params}", "--seed", "3"], ["--seed"]),  # xor's points are fixed
    (["trace", "--params", "{params}", "--seed", "3", "--dataset", "linear"], []),  # the seed draws the points
    (["trace", "--input", "0.5", "1", "--target", "1", "--dataset", "linear"], ["--dataset"]),
    (["trace", "--input", "0.5", "1", "--target", "1", "--dataset", "linear", "--after-epochs", "2"], []),
    (["trace", "--init", "normal", "--seed", "3", "--dataset", "circle"], []),
    (["trace", "--momentum-form", "average"], ["--momentum-form"]),
    (["trace", "--optimizer", "momentum", "--momentum-form", "average", "--momentum", "0.5"], []),
    ([*QUICK, "--momentum-form", "average"], ["--momentum-form"]),
]


@pytest.mark.parametrize("argv, named", NO_EFFECT, ids=[" ".join(a[:1] + a[-2:]) for a, _ in NO_EFFECT])
def test_options_without_effect_get_one_note_and_the_run_goes_ahead(argv, named, tmp_path, monkeypatch, capsys):
    argv = [a.format(tmp=tmp_path, params=_params_json(tmp_path) if a == "{params}" else "") for a in argv]

    def runs(*args, **kwargs):  # experiment: the note is out, the runs would take seconds
        raise KeyboardInterrupt

    monkeypatch.setattr("backprop_lab.commands.experiment.seed_runs.run_all", runs)
    status = cli.main(argv)
    err = capsys.readouterr().err
    assert status == (130 if argv[0] == "experiment" else 0), err
    if not named:
        assert err == ""
        return
    assert err.count("\n") == 1 and err.startswith("backprop-lab: note:"), err
    assert [flag for flag in named if f"{flag} has no effect" in err] == named
    assert err.count("has no effect") == len(named)


# ------------------------------------------------------------------ the terminal


TERMINAL_COMMANDS = {  # a command that prints characters beyond ASCII: its argv in the folder tmp
    "trace": lambda tmp: ["trace", "--activation", "tanh"],  # sigma, <-, delta, d
    "experiment": lambda tmp: ["experiment", "decay", "--values", "0", "0.001", "--seeds", "1", "--epochs", "5",
                               "--jobs", "1", "--out", str(tmp / "report")],  # lambda
    "bench": lambda tmp: ["bench", _bench_input(tmp), "--out", str(tmp / "out")],  # micro
    "compare --data": lambda tmp: [*QUICK, "--data", os.rename(_points_csv(tmp), tmp / "résumé.csv")
                                   or str(tmp / "résumé.csv")],
    "--help": lambda tmp: ["compare", "--help"],
}


class Terminal(io.TextIOWrapper):
    """A standard stream in ``encoding``, with the errors Python gives stdout ("strict")."""

    def __init__(self, encoding, errors="strict"):
        super().__init__(io.BytesIO(), encoding=encoding, errors=errors)

    def text(self):
        self.flush()
        return self.buffer.getvalue().decode(self.encoding)


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
@pytest.mark.parametrize("command", TERMINAL_COMMANDS)
def test_output_reaches_a_terminal_of_any_encoding_in_ascii_spellings(command, encoding, tmp_path, monkeypatch):
    out, err = Terminal(encoding), Terminal(encoding, errors="backslashreplace")
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    status = cli.main(TERMINAL_COMMANDS[command](tmp_path))
    printed, errors = out.text(), err.text()
    assert status == 0, errors
    assert errors == "" and printed.count("\n") > 3
    assert "\\u" not in printed  # no escapes: spellings
    assert out.errors == "strict" and err.errors == "backslashreplace"  # as they were, after main
    if command == "trace":
        assert ("w <- w - lr*dL/dw" if encoding == "ascii" else "w <- w - lr·dL/dw") in printed and "delta" in printed
    if command == "compare --data":
        assert ("résumé.csv" if encoding == "latin-1" else "resume.csv") in printed
    if command == "experiment":
        assert "weight decay lambda" in printed


def test_the_spellings_are_ascii_and_cover_what_the_commands_print():
    from backprop_lab.commands.shared import terminal

    assert all(spelling.isascii() for spelling in terminal.SPELLINGS.values())
    sources = [*pathlib.Path(cli.__file__).parent.rglob("*.py"), *pathlib.Path(report.__file__).parents[3].glob(
        "backprop_lab/check/*.py")]
    printed = {c for path in sources if path.name != "terminal.py" for c in path.read_text(encoding="utf-8")
               if not c.isascii()}
    assert printed and printed <= set(terminal.SPELLINGS) | {"é"}, printed - set(terminal.SPELLINGS)
    assert terminal.spelling("é") == "e" and terminal.spelling("\udcff") == "?"  # an undecodable file name's byte


def test_a_closed_stdout_is_one_line_and_a_closed_stderr_takes_the_error_line(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdout", None)
    status = cli.main(["compare", "--epochs", "5"])
    assert "standard output: it is closed" in one_line_error(capsys.readouterr().err, status, expected_status=1)
    monkeypatch.undo()
    monkeypatch.setattr(sys, "stderr", None)
    assert cli.main(["compare", "--lr", "-1"]) == 2
    assert capsys.readouterr().out == ""  # not print(file=None), which writes to stdout


CLOSED_STREAMS = [  # (shell redirection, argv, exit status, what stderr holds)
    (">&-", ["trace"], 1, "standard output: it is closed"),
    ("2>&-", ["trace", "--lr", "-1"], 2, ""),
    ("2>&-", ["trace", "--markdown", "{tmp}/m.md"], 0, ""),
    ("<&-", ["trace", "--markdown", "{tmp}/m.md"], 0, ""),
]


@pytest.mark.parametrize("redirection, argv, status, said", CLOSED_STREAMS, ids=[f"{r} {' '.join(a)}" for r, a, _, _ in CLOSED_STREAMS])
def test_a_closed_standard_stream_is_no_traceback_and_takes_no_file_with_it(redirection, argv, status, said, tmp_path):
    argv = [a.format(tmp=tmp_path) for a in argv]
    done = subprocess.run(["sh", "-c", f'"$@" {redirection}', "sh", sys.executable, "-m", "backprop_lab", *argv],
                          stdout=subprocess.PIPE if redirection != ">&-" else None,
                          stderr=subprocess.PIPE if redirection != "2>&-" else None, text=True, timeout=120)
    assert done.returncode == status, done.stderr
    if done.stderr is not None:
        assert "Traceback" not in done.stderr and said in done.stderr and len(done.stderr.splitlines()) <= 1
    if (tmp_path / "m.md").exists():  # a file opened as descriptor 1 or 2 would hold the printout
        assert (tmp_path / "m.md").read_text().startswith("#")


@pytest.mark.parametrize("config_dir", ["a file", "unwritable"])
def test_matplotlibs_warnings_about_its_config_folder_do_not_reach_the_user(config_dir, tmp_path):
    folder = tmp_path / "mpl"
    if config_dir == "a file":
        folder.write_text("not a folder")
    else:
        if os.geteuid() == 0:
            pytest.skip("root writes into read-only folders")
        folder.mkdir(mode=0o500)
    env = {**os.environ, "MPLCONFIGDIR": str(folder)}
    done = subprocess.run([sys.executable, "-m", "backprop_lab", "trace", "--diagram", str(tmp_path / "d.png")],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert (tmp_path / "d.png").stat().st_size > 0


@pytest.mark.parametrize("error, said", [
    (OSError("Could not find/load shared object file 'libllvmlite.so'"), "error: Could not find/load"),
    (OSError(errno.ENOMEM, os.strerror(errno.ENOMEM)), f"error: {os.strerror(errno.ENOMEM)}"),
    (OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), "cannot write to standard output"),
], ids=["a library that cannot load (ulimit -v)", "ENOMEM", "ENOSPC"])
def test_an_os_error_is_called_a_failed_write_only_when_it_is_one(error, said, monkeypatch, capsys):
    def fails(*args, **kwargs):
        raise error

    monkeypatch.setattr("backprop_lab.commands.compare.run.run_split", fails)
    status = cli.main(QUICK)
    err = one_line_error(capsys.readouterr().err, status, expected_status=1)
    assert said in err and ("standard output" in err) == (error.errno == errno.ENOSPC)


def test_help_into_a_full_stdout_is_a_failure():
    if not os.path.exists("/dev/full"):
        pytest.skip("needs /dev/full")
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "backprop_lab", "compare", "--help"], stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=120)
    assert "standard output" in one_line_error(done.stderr, done.returncode, expected_status=1)


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


ROOT = pathlib.Path(__file__).resolve().parent.parent
#: Every module entry point the pages name (python -m NAME), with the arguments that make it write
#: into the folder OUT; each keeps the command line's promises.
ENTRY_POINTS = {
    "backprop_lab": lambda tmp, out: ["bench", _bench_input(tmp), "--out", out],
    "derivations": lambda tmp, out: ["--out", out],
    "backprop_lab.commands.bench": lambda tmp, out: [_bench_input(tmp), "--out", out],
}
NOT_OURS = {"pip", "pytest", "jupyter", "venv"}
#: ``python -m derivations`` with derive's cheap documents (tests/cheap_derivations.py): what the
#: entry point does with its folder, its errors and its output does not depend on what sympy
#: derives, which takes a quarter of a minute (tests/test_derivations.py regenerates those).
CHEAP_DERIVATIONS = [sys.executable, str(ROOT / "tests" / "cheap_derivations.py")]


def entry_point(module):
    """The command that runs ``python -m module``, before its arguments."""
    if module == "derivations":
        return [*CHEAP_DERIVATIONS, "cheap"]
    return [sys.executable, "-m", module]


def test_the_pages_name_only_entry_points_that_keep_the_promises():
    import re

    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    named = {m for page in pages for m in re.findall(r"python3? -m ([A-Za-z_][\w.]*)", page.read_text())}
    assert named - NOT_OURS <= set(ENTRY_POINTS), named - NOT_OURS - set(ENTRY_POINTS)


ENTRY_CASES = [(module, case) for module in ENTRY_POINTS for case in ("--out ''", "--out a file", "full stdout")]


@pytest.mark.parametrize("module, case", ENTRY_CASES, ids=[f"{m} {c}" for m, c in ENTRY_CASES])
def test_every_named_entry_point_keeps_the_promises(module, case, tmp_path):
    out = {"--out ''": "", "--out a file": str(tmp_path / "a-file"), "full stdout": str(tmp_path / "out")}[case]
    (tmp_path / "a-file").write_text("mine")
    (tmp_path / "out").mkdir()
    argv = ENTRY_POINTS[module](tmp_path, out)
    before = listing(tmp_path)
    if case == "full stdout" and not os.path.exists("/dev/full"):
        pytest.skip("needs /dev/full")
    with open("/dev/full" if case == "full stdout" else os.devnull, "w") as stdout:
        done = subprocess.run([*entry_point(module), *argv], stdout=stdout, stderr=subprocess.PIPE,
                              text=True, timeout=300, cwd=tmp_path)
    one_line_error(done.stderr, done.returncode, expected_status=1 if case == "full stdout" else 2)
    assert listing(tmp_path) == before  # nothing written into the current folder, nothing swapped in


@pytest.mark.parametrize("signum, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["SIGINT", "SIGTERM"])
def test_python_m_derivations_answers_signals_like_the_command(signum, status, tmp_path):
    process = subprocess.Popen([*CHEAP_DERIVATIONS, "endless", "--out", str(tmp_path / "out")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().strip() == cheap_derivations.BEGUN  # past the imports, into the derivations
        process.send_signal(signum)
        assert process.wait(timeout=30) == status
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
    json.loads((tmp_path / "run.json").read_text(), parse_constant=pytest.fail)  # strict JSON, diverged or not


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
    ("nested 1000 deep", b"[" * 1000 + b"]" * 1000, "nests too deeply", "nests too deeply"),
    ("nested 500 deep", b"[" * 500 + b"]" * 500, "nests too deeply", "nests too deeply"),  # was "ragged"
    ("an integer of 400 digits", b"[" + b"1" * 400 + b"]", "400 characters", "400 characters"),
    ("an integer of 5000 digits", b"[" + b"7" * 5000 + b"]", "5000 characters", "5000 characters"),
    ("a float of 400 digits", b'{"a": 0.' + b"1" * 400 + b"}", "402 characters", "402 characters"),
    ("a number in a string", b'{"initial_params": "' + b"1" * 400 + b'"}', "expected a list", "not a pytest"),
]

#: Every reader of a file the user gives: its argv for the file at PATH.
INPUTS = {"compare --data": lambda path, tmp: [*QUICK, "--data", path], **JSON_INPUTS}
#: What any input may be: (what, make(tmp) -> the path given, named in the error).
HOSTILE_INPUTS = [
    ("/dev/zero", lambda tmp: "/dev/zero", "is a device"),
    ("an empty name", lambda tmp: "", "the name is empty"),
    ("a folder", lambda tmp: str(tmp), "is a folder"),
    ("larger than the limit", lambda tmp: (tmp / "big").write_bytes(b"0" * 2000) and str(tmp / "big"),
     "larger than 1000 bytes"),
]


@pytest.mark.parametrize("command", INPUTS)
@pytest.mark.parametrize("what, make, named", HOSTILE_INPUTS, ids=[case[0] for case in HOSTILE_INPUTS])
def test_every_reader_refuses_what_is_not_a_file_of_its_size_in_one_line(
        command, what, make, named, tmp_path, monkeypatch, capsys):
    from backprop_lab.commands.bench import results
    from backprop_lab.commands.trace import params
    from backprop_lab.data import csvfile

    for reader in (results, params, csvfile):
        monkeypatch.setattr(reader, "MAX_BYTES", 1000)
    for writer in WRITERS:
        tripwire(monkeypatch, writer)
    started = time.perf_counter()
    status = cli.main(INPUTS[command](make(tmp_path), tmp_path))
    assert named in one_line_error(capsys.readouterr().err, status)
    assert time.perf_counter() - started < 5  # /dev/zero is not read until memory runs out


FIFO_WRITER = textwrap.dedent("""
    import sys
    with open(sys.argv[1], "wb") as fifo:  # blocks until the command opens it
        fifo.write(open(sys.argv[2], "rb").read())
""")


@pytest.mark.parametrize("command", INPUTS)
def test_a_fifo_is_read_once(command, tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("needs named pipes")
    source = {"compare --data": _points_csv, "trace --params": _params_json, "bench": _bench_input}[command](tmp_path)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    writer = subprocess.Popen([sys.executable, "-c", FIFO_WRITER, str(fifo), source])
    try:  # read twice, the second read would wait for a second writer for good
        done = subprocess.run([sys.executable, "-m", "backprop_lab", *INPUTS[command](str(fifo), tmp_path)],
                              capture_output=True, text=True, timeout=120)
    finally:
        writer.kill()
        writer.wait()
    assert done.returncode == 0 and done.stderr == "", done.stderr


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


POOL_INTERRUPTS = [  # (what is done to the running experiment, its exit status, what stderr holds)
    ("SIGINT to the main process", 130, ""),
    ("SIGINT twice, a Ctrl-C pressed again while the first is answered", 130, ""),
    ("SIGTERM to the main process", 143, ""),
    ("kill -9 of a worker", 1, "a worker process ended"),
]


@pytest.mark.parametrize("what, status, said", POOL_INTERRUPTS, ids=[c[0] for c in POOL_INTERRUPTS])
def test_the_pools_interrupts_are_answered_promptly(what, status, said, tmp_path):
    process = subprocess.Popen([sys.executable, "-m", "backprop_lab", "experiment", "lr", "--jobs", "2", "--seeds", "40",
                                "--epochs", "5000", "--out", str(tmp_path / "report")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        workers = []
        for _ in range(300):  # until the pool runs (a bounded wait)
            workers = subprocess.run(["ps", "-o", "pid=", "--ppid", str(process.pid)], capture_output=True,
                                     text=True).stdout.split()
            if len(workers) >= 2 or process.poll() is not None:
                break
            time.sleep(0.1)
        assert len(workers) >= 2, "the pool never started"
        time.sleep(1)
        started = time.perf_counter()
        if what.startswith("kill -9"):
            os.kill(int(workers[0]), signal.SIGKILL)
        else:
            process.send_signal(signal.SIGINT if what.startswith("SIGINT") else signal.SIGTERM)
        if "twice" in what:
            time.sleep(0.05)  # while the workers are being stopped
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == status
        assert time.perf_counter() - started < 5  # not when the runs in progress end
    finally:
        process.kill()
        process.wait()
    err = process.stderr.read()
    assert "Traceback" not in err and said in err and len(err.splitlines()) <= 1, err
    assert list(tmp_path.iterdir()) == []
