"""Runs every command and Python block of docs/check.md, in order, as the page says to.

The page marks each block with an HTML comment: ``run in: an empty folder`` (the walk-through
starts), ``run in: the same folder``, ``run in: the clone`` (the repository's root); ``excerpt of
F`` (the block is text of the file F), ``filled in: F`` (the block's lines are what is written into
F's blanks, in order), ``the fix: F`` (a diff of one line).  ``run`` returns each console block's
commands with what they printed, for tests/test_check.py to compare with the page.

``python tests/docs_check.py --write`` writes the outputs into the page (after a change that
changes what the commands print; the diff is then what changed).
"""

import contextlib
import doctest
import io
import os
import re
import shlex
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "check.md"
BLOCK = re.compile(r"<!-- (?P<mark>[^>]*?) -->\n```(?P<kind>\w+)\n(?P<body>.*?)```", re.S)

#: A blank of the exercise file.
BLANK = re.compile(r'^(\s*)raise NotImplementedError\("(.*)"\)$', re.M)


def blocks(text):
    return [(m["mark"], m["kind"], m["body"], m.span("body")) for m in BLOCK.finditer(text)]


def commands(body):
    """[(command, the output the page shows)] of a console block."""
    found = []
    for line in body.splitlines():
        if line.startswith("$ "):
            found.append([line[2:], []])
        elif found:
            found[-1][1].append(line)
    return [(command, "\n".join(lines).rstrip("\n")) for command, lines in found]


def run_command(command, cwd):
    """What ``backprop-lab ...`` prints (stdout, then stderr) when run in ``cwd``."""
    from backprop_lab.commands.cli import main

    argv = shlex.split(command)
    assert argv[0] == "backprop-lab", command
    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main(argv[1:])
    finally:
        os.chdir(here)
    return (out.getvalue() + err.getvalue()).rstrip("\n")


def fill_blanks(path, body):
    """Write the block's lines into the file's blanks, in order: each blank takes as many lines as
    the statements its comment asks for (one per name set: Z and A, dW and db, ...)."""
    text = path.read_text()
    lines = body.rstrip("\n").splitlines()
    sizes = {"forward_pass: Z and A of layer l": 2, "gradients: dW and db of layer l": 2}

    def replace(match):
        n = sizes.get(match[2], 1)
        taken = lines[:n]
        del lines[:n]
        return "\n".join(taken)

    text = BLANK.sub(replace, text)
    assert not lines, f"lines left over: {lines}"
    path.write_text(text)


def apply_fix(path, body):
    removed = [line[1:] for line in body.splitlines() if line.startswith("-")]
    added = [line[1:] for line in body.splitlines() if line.startswith("+")]
    text = path.read_text()
    for old, new in zip(removed, added):
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text)


def run(text=None):
    """[(span of a console block's body, [(command, shown, printed)])] for every console block, and
    [failures] of the other checks, running the page from the top."""
    text = PAGE.read_text() if text is None else text
    results, problems = [], []
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        for mark, kind, body, span in blocks(text):
            where, _, subject = mark.partition(": ")
            if where == "run in":
                cwd = ROOT if subject == "the clone" else folder
                if kind == "console":
                    results.append((span, [(c, shown, run_command(c, cwd)) for c, shown in commands(body)]))
                elif kind == "python":
                    problems += _doctest(body, cwd)
            elif where == "excerpt of":
                if body not in (folder / subject).read_text():
                    problems.append(f"the excerpt is not in {subject}:\n{body}")
            elif where == "filled in":
                fill_blanks(folder / subject, body)
            elif where == "the fix":
                apply_fix(folder / subject, body)
    return results, problems


def _doctest(body, cwd):
    here, path = os.getcwd(), list(sys.path)
    os.chdir(cwd)
    try:
        test = doctest.DocTestParser().get_doctest(body, {}, "docs/check.md", str(PAGE), 0)
        out = io.StringIO()
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
        runner.run(test, out=out.write)
        return [out.getvalue()] if runner.failures else []
    finally:
        os.chdir(here)
        sys.path[:] = path


def write():
    """Put what the commands print into the page's console blocks."""
    text = PAGE.read_text()
    results, problems = run(text)
    for (start, end), ran in reversed(results):
        body = "".join(f"$ {command}\n{printed}\n" for command, _, printed in ran)
        text = text[:start] + body + text[end:]
    PAGE.write_text(text)
    for problem in problems:
        print(problem)


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        write()
    else:
        sys.exit("usage: python tests/docs_check.py --write")
