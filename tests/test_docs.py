"""Every command and every piece of Python that the README and docs/ show runs here, as shown.

A page's fenced blocks are run by their kind:

- ``console``: ``$ command`` lines, each followed by the output it prints (stdout and stderr, as a
  terminal shows them).  The command must exit 0 and print those lines in that order; a line
  ``...`` stands for any number of lines, and ``...`` inside a line for any text.  Times vary from
  run to run, so in the lines that report one (time per epoch, compile time, how long a run or a
  drawing took) every number matches any number, in any unit of time; and a difference at the scale of the last bits
  (below 1e-10, which BLAS's order of summing on each CPU decides) matches any other.
- ``sh``: the block is a shell script; it must exit 0.
- ``python``: the block runs in a fresh interpreter; it must exit 0.

A block marked ``<!-- run by: tests/FILE.py -->`` is run by that test instead, as shown, where the
work its command needs is done anyway (``derive --check`` in tests/test_derivations.py, beside
the derivations it checks).

Other blocks (``text``: output, a synopsis) show no command, and a copy of a function from the
source (``<!-- source: ... -->`` before it) is checked against the source instead; an excerpt of
another page's output (``<!-- excerpt: docs/PAGE.md -->`` before it) must hold, line for line, lines
of that page (whose blocks run), with ``...`` for the lines left out.  The README's first block, the two
set-up commands, is what ../shared/fresh-check and CI run themselves.  The commands run in a
temporary folder that holds a copy of docs/ (and derivations/, as in the repository), so that what they write lands there, and a path the
docs name, such as ``docs/figures/wave.csv``, is found; a command that rewrites a committed
report there (``experiment --out docs/experiments/lr``) must write the same text, byte for byte.  The README's copies of the trainers'
functions are checked against the source (tests/readme_sources.py).
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import readme_sources

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
GENERATED = {"benchmarks.md"}  # written by `backprop-lab bench`, not by hand
#: Pages whose blocks are one walk-through, each block in the folder the ones before it left:
#: their own runner runs them in order (a block alone would miss the files written before it).
WALKTHROUGHS = {"check.md": "tests/docs_check.py"}
FENCE = re.compile(r"^```(?P<kind>\w*)\n(?P<body>.*?)^```$", re.S | re.M)
RUN_KINDS = ("console", "sh", "python")
TIMING = re.compile(r"^(time per epoch|compile time|wrote .*\(.*\d s\)|\d+ runs in)")
NUMBER = re.compile(r"\d+(\.\d+)?(e[+-]?\d+)?( ?(ns|us|µs|ms|s)\b)?")  # a number, with its unit of time
#: A difference at the scale of the last bits (below 1e-10): its digits depend on how BLAS sums on
#: this CPU, so any such number matches any other.
LAST_BITS = re.compile(r"\b\d\.\d+e-(1\d|[2-9]\d|\d{3})\b")
TIMEOUT = 600
#: Before a block, the test that runs it instead (``<!-- run by: tests/test_x.py -->``): one that
#: has done the work the block's command needs, which a fresh process would do again.
RUN_BY = re.compile(r"^<!-- run by: (?P<runner>\S+) -->$", re.M)


def _mark(text, match):
    """The line before a block: a comment that says what it is, or other text."""
    before = text[:match.start()].rstrip().splitlines()
    return before[-1] if before else ""


def blocks():
    """(page, block number, kind, body) of every block that runs."""
    found = []
    for page in PAGES:
        if page.name in GENERATED or page.name in WALKTHROUGHS:
            continue
        text = page.read_text(encoding="utf-8")
        for k, match in enumerate(FENCE.finditer(text)):
            if page.name == "README.md" and k == 0:
                continue  # the set-up commands: fresh-check and CI run them
            if _mark(text, match).startswith("<!-- source:"):
                continue  # a copy of the source, checked against it below
            if RUN_BY.match(_mark(text, match)):
                continue  # its own test runs it (test_every_block_left_to_another_test_is_run_there)
            if match["kind"] in RUN_KINDS:
                found.append((page, k, match["kind"], match["body"]))
    return found


def blocks_run_by(page, runner):
    """The bodies of the page's blocks marked as run by ``runner`` (a path from the repository)."""
    text = page.read_text(encoding="utf-8")
    return [match["body"] for match in FENCE.finditer(text)
            if (mark := RUN_BY.match(_mark(text, match))) and mark["runner"] == runner]


BLOCKS = blocks()


def _id(block):
    page, k, kind, body = block
    first = body.strip().splitlines()[0] if body.strip() else ""
    return f"{page.relative_to(ROOT)}#{k}-{kind}: {first[:50]}"


@pytest.fixture
def workdir(tmp_path):
    """A folder with a copy of docs/, where the commands run, and derivations/ beside it as in the
    repository (a report written into docs/experiments links to ../../../derivations/generated)."""
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    (tmp_path / "derivations").symlink_to(ROOT / "derivations", target_is_directory=True)
    return tmp_path


def _environment():
    env = dict(os.environ, COLUMNS="100")
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def _run(command, cwd):
    return subprocess.run(command, shell=True, cwd=cwd, env=_environment(), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=TIMEOUT, executable="/bin/bash")


def console_steps(body):
    """[(command, expected output lines)] of a console block."""
    steps = []
    for line in body.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif steps:
            steps[-1][1].append(line)
        else:
            raise AssertionError(f"a console block must start with a '$ ' command line, not {line!r}")
    return steps


def _normal(line):
    line = LAST_BITS.sub("<last bits>", line.rstrip())
    return NUMBER.sub("N", line) if TIMING.match(line.lstrip()) else line


def _pattern(expected):
    """A regular expression for the expected lines, with '...' as above."""
    parts = []
    for line in expected:
        if line.strip() == "...":
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append(".*".join(re.escape(piece) for piece in _normal(line).split("...")) + r"\n")
    return "".join(parts)


def output_matches(expected, actual):
    text = "".join(_normal(line) + "\n" for line in actual.splitlines())
    while expected and not expected[-1].strip():
        expected = expected[:-1]
    return re.fullmatch(_pattern(expected) + r"(?:[^\n]*\n)*", text) is not None if expected else True


def _param(block):
    """A block; a shell script (the lab's whole set of experiments) goes early: it takes the longest."""
    return pytest.param(block, id=_id(block), marks=[pytest.mark.early] if block[2] == "sh" else [])


@pytest.mark.parametrize("block", [_param(b) for b in BLOCKS])
def test_the_block_runs_as_shown(block, workdir):
    page, k, kind, body = block
    if kind == "python":
        done = subprocess.run([sys.executable, "-c", body], cwd=workdir, env=_environment(),
                              capture_output=True, text=True, timeout=TIMEOUT)
        assert done.returncode == 0, f"{page.name} block {k} failed:\n{done.stderr[-3000:]}"
    elif kind == "sh":
        done = _run(body, workdir)
        assert done.returncode == 0, f"{page.name} block {k} failed:\n{done.stdout[-3000:]}"
    else:
        for command, expected in console_steps(body):
            done = _run(command, workdir)
            assert done.returncode == 0, f"{page.name}: `{command}` exited {done.returncode}:\n{done.stdout[-3000:]}"
            assert output_matches(expected, done.stdout), (
                f"{page.name}: `{command}` no longer prints what the page shows.\n--- the page:\n"
                + "\n".join(expected) + "\n--- the command:\n" + done.stdout[-5000:])
    changed = committed_files_changed(workdir)
    assert not changed, (f"{page.name} block {k} wrote files that differ from the committed ones: {changed}; "
                         "the page's command no longer makes what docs/ holds")


TEXT_FILES = {".md", ".json", ".csv"}  # the figures' bytes depend on the matplotlib version


def committed_files_changed(workdir):
    """The text files under docs/ that a block rewrote with other contents than the committed ones
    (a command that regenerates a committed report must reproduce it byte for byte)."""
    changed = []
    for path in sorted((workdir / "docs").rglob("*")):
        if path.suffix in TEXT_FILES and path.is_file():
            committed = ROOT / path.relative_to(workdir)
            if committed.exists() and committed.read_bytes() != path.read_bytes():
                changed.append(str(path.relative_to(workdir)))
    return changed


EXCERPT = re.compile(r"<!-- excerpt: (?P<page>\S+) -->\n```\w*\n(?P<body>.*?)^```", re.S | re.M)


def test_an_excerpt_of_another_pages_output_is_what_that_page_shows():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    excerpts = list(EXCERPT.finditer(text))
    assert excerpts, "the README quotes no other page"
    for excerpt in excerpts:
        source = (ROOT / excerpt["page"]).read_text(encoding="utf-8").splitlines()
        lines = [line for line in excerpt["body"].splitlines() if line != "..."]
        missing = [line for line in lines if line not in source]
        assert not missing, f"README.md's excerpt of {excerpt['page']} has lines that page does not: {missing}"
        at = [source.index(line) for line in lines]
        assert at == sorted(at), f"README.md's excerpt of {excerpt['page']} is out of that page's order"


def test_the_readme_shows_the_functions_as_they_are_in_the_source():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme_sources.copies(text)
    assert shown, "the README shows no function from the source"
    for path, name, code in shown:
        assert code == readme_sources.function_source(path, name), (
            f"README.md's copy of {name} in {path} differs from the source: run python tests/readme_sources.py --write")


@pytest.mark.parametrize("expected, actual, matches", [
    (["a", "...", "d"], "a\nb\nc\nd\n", True),
    (["a", "d"], "a\nb\nd\n", False),
    (["x ... z"], "x y z\n", True),
    (["time per epoch: scalar_net 6.88 us"], "time per epoch: scalar_net 12.5 us\n", True),
    (["time per epoch: scalar_net 6.88 us"], "time per epoch: scalar_net 1.25 ms\n", True),
    (["loss 0.25"], "loss 0.26\n", False),
    (["diff 8.882e-15"], "diff 1.243e-14\n", True),
    (["diff 8.882e-05"], "diff 1.243e-14\n", False),
])
def test_what_a_shown_output_matches(expected, actual, matches):
    assert output_matches(expected, actual) == matches


def test_every_block_left_to_another_test_is_run_there():
    """A block marked ``run by`` names a test file that exists and reads that page's blocks."""
    marked = [(page, match) for page in PAGES for match in RUN_BY.finditer(page.read_text(encoding="utf-8"))]
    for page, match in marked:
        runner = ROOT / match["runner"]
        assert runner.is_file(), f"{page.name}: a block is left to {match['runner']}, which does not exist"
        uses = f'blocks_run_by(ROOT / "{page.relative_to(ROOT).as_posix()}", "{match["runner"]}")'
        assert uses in runner.read_text(encoding="utf-8"), f"{match['runner']} does not run {page.name}'s block"


def test_every_page_is_linked_from_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    pages = [p for p in PAGES[1:] if p.name not in GENERATED]
    missing = [p.name for p in pages if f"(docs/{p.name})" not in readme]
    assert not missing, f"README.md links no page {missing}"


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_every_relative_link_resolves(page):
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    broken = []
    for target in re.findall(r"\]\(([^)\s#]+)(?:#[^)]*)?\)", text):
        if re.match(r"^[a-z]+:", target):
            continue
        if not (page.parent / target).exists():
            broken.append(target)
    assert not broken, f"{page.name} links to {broken}, which do not exist"
