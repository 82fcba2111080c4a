"""docs/tutorial.ipynb runs, from a fresh kernel, and its committed outputs are those of a run.

The test executes the notebook's cells in order in a new kernel (nbclient, in the folder docs/),
then holds the fresh outputs against the committed ones.  The committed notebook is *stale* when:

- it was not run top to bottom in one kernel: its code cells' execution counts are not 1, 2, 3, ...;
- a code cell's text output (what it prints, its value as text, an error) differs from what it
  prints now.  Two things vary by machine and are not compared: numbers written like ``2.2e-16``
  or ``0.0e+00`` with an exponent of -10 or below, the last bits that the CPU's BLAS decides, match
  each other; and a cell tagged ``varies`` (the timings) is compared by the kinds of output only;
- a cell draws another number of pictures.  The pictures themselves are not compared: their bytes
  depend on matplotlib's version and the fonts.

Then regenerate it from a real run (it takes about as long as this test):

    python tests/test_notebook.py --write

which executes the notebook and writes it back with its outputs, minus what only a live kernel
can use (the playground's widget state, timing metadata).
"""

import argparse
import re
import sys
import time
from pathlib import Path

import nbclient
import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "docs" / "tutorial.ipynb"
TIMEOUT = 600  # seconds for one cell: the first one to call scalar_net compiles it
VARIES = "varies"
WIDGET = "application/vnd.jupyter.widget-view+json"  # refers to a live kernel's widget; dropped when written
LAST_BITS = re.compile(r"\b\d\.\de[+-]\d+\b")


def run(notebook):
    """Execute ``notebook`` (a NotebookNode) in place in a new kernel, in docs/; return the seconds."""
    start = time.perf_counter()
    client = nbclient.NotebookClient(notebook, timeout=TIMEOUT, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}}, record_timing=False)
    client.execute()
    return time.perf_counter() - start


def cleaned(notebook):
    """The executed notebook as it is committed: without widget references or kernel versions."""
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.outputs:
            if "data" in output:
                output.data.pop(WIDGET, None)
    notebook.metadata.pop("widgets", None)
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook


def _machine_free(text):
    def replace(match):
        exponent = int(match.group().split("e")[1])
        return "<last bits>" if exponent <= -10 or float(match.group()) == 0.0 else match.group()

    return LAST_BITS.sub(replace, text)


def texts_of(cell):
    """What a reader sees of a code cell's outputs as text, one piece per output, a stream's pieces
    joined (the kernel splits a stream where it happens to flush); a picture is None."""
    pieces = []
    for output in cell.outputs:
        if output.output_type == "stream":
            if pieces and pieces[-1] is not None and pieces[-1].startswith(f"{output.name}: "):
                pieces[-1] += output.text
            else:
                pieces.append(f"{output.name}: {output.text}")
        elif output.output_type == "error":
            pieces.append(f"error: {output.ename}: {output.evalue}")
        elif "image/png" in output.get("data", {}):
            pieces.append(None)
        else:
            pieces.append(f"{output.output_type}: {output.get('data', {}).get('text/plain', '')}")
    return pieces


def summary(cell):
    """(output kinds, pictures, text) of a code cell, the text as compared (see the docstring)."""
    pieces = texts_of(cell)
    varies = VARIES in cell.metadata.get("tags", [])
    kinds = sorted({o.output_type for o in cell.outputs})
    text = "\n".join(piece for piece in pieces if piece is not None)
    return kinds, pieces.count(None), None if varies else _machine_free(text)


def code_cells(notebook):
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def stale_cells(committed, fresh):
    """One line per difference between the committed notebook and a fresh run of its code."""
    problems = []
    counts = [cell.execution_count for cell in code_cells(committed)]
    if counts != list(range(1, len(counts) + 1)):
        problems.append(f"the cells were not run in order in one kernel: execution counts {counts}")
    for k, (old, new) in enumerate(zip(code_cells(committed), code_cells(fresh)), start=1):
        first_line = old.source.splitlines()[0] if old.source else ""
        (old_kinds, old_pictures, old_text), (new_kinds, new_pictures, new_text) = summary(old), summary(new)
        if old_kinds != new_kinds or old_pictures != new_pictures:
            problems.append(f"code cell {k} ({first_line}): outputs {old_kinds} with {old_pictures} pictures "
                            f"committed, {new_kinds} with {new_pictures} now")
        elif old_text != new_text:
            problems.append(f"code cell {k} ({first_line}) prints other text now:\n--- committed\n{old_text}\n"
                            f"--- now\n{new_text}")
    return problems


@pytest.mark.early  # long: started right after the long runs (tests/conftest.py)
def test_the_tutorial_runs_and_its_committed_outputs_are_a_runs(record_property):
    committed = nbformat.read(NOTEBOOK, as_version=4)
    fresh = nbformat.read(NOTEBOOK, as_version=4)
    seconds = run(fresh)
    record_property("tutorial_seconds", round(seconds, 1))
    errors = [o for cell in code_cells(fresh) for o in cell.outputs if o.output_type == "error"]
    assert not errors  # nbclient stops at the first error; this names none that slipped through
    problems = stale_cells(committed, cleaned(fresh))
    assert not problems, ("docs/tutorial.ipynb is stale (regenerate it: python tests/test_notebook.py --write):\n"
                          + "\n".join(problems))


def test_what_counts_as_stale():
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    def notebook(*texts, count=1, tags=()):
        cell = new_code_cell("print()", execution_count=count, outputs=[new_output("stream", name="stdout", text=t)
                                                                         for t in texts])
        cell.metadata["tags"] = list(tags)
        return new_notebook(cells=[cell])

    assert not stale_cells(notebook("difference 2.2e-16\n"), notebook("difference 0.0e+00\n"))
    assert not stale_cells(notebook("a\n", "b\n"), notebook("a\nb\n"))
    assert stale_cells(notebook("difference 2.2e-06\n"), notebook("difference 0.0e+00\n"))
    assert stale_cells(notebook("loss 0.25\n"), notebook("loss 0.26\n"))
    assert not stale_cells(notebook("12 µs\n", tags=[VARIES]), notebook("15 µs\n", tags=[VARIES]))
    assert stale_cells(notebook("a\n", count=2), notebook("a\n"))


def main():
    parser = argparse.ArgumentParser(description="Run docs/tutorial.ipynb and write it back with its outputs.")
    parser.add_argument("--write", action="store_true", help="write the executed notebook to docs/tutorial.ipynb")
    args = parser.parse_args()
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    seconds = run(notebook)
    print(f"docs/tutorial.ipynb ran in {seconds:.1f} s")
    if args.write:
        nbformat.write(cleaned(notebook), NOTEBOOK)
        print("written: docs/tutorial.ipynb")
    else:
        problems = stale_cells(nbformat.read(NOTEBOOK, as_version=4), cleaned(notebook))
        print("\n".join(problems) if problems else "the committed outputs are those of this run")
        sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
