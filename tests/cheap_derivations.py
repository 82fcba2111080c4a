"""derive's documents replaced by cheap ones, so that derive writes in milliseconds.

For the tests of what derive does with its files, its errors and signals, not of what sympy
derives (tests/test_derivations.py regenerates the real ones).  ``install`` takes the function
that sets an attribute: a test's ``monkeypatch.setattr``, or plain ``setattr`` in a child process:
``python tests/cheap_derivations.py cheap|endless ARGS`` is ``python -m derivations ARGS`` with
the three cheap documents, or with one that never ends (tests/test_hostile_input.py).
"""

import runpy
import sys
import time

from derivations import documents

TOPICS = tuple((f"0{i}_topic.md", f"topic {i}", lambda i=i: f"# topic {i}\n") for i in range(1, 4))
#: What the endless document prints when it begins: the process is then inside the derivations.
BEGUN = "deriving"


def install(set_attribute=setattr):
    """Replace the documents with three cheap ones; return the names derive then writes."""
    set_attribute(documents, "TOPICS", TOPICS)
    set_attribute(documents, "index", lambda: "# index\n")
    return [name for name, _, _ in TOPICS] + ["README.md"]


def _endless():
    print(BEGUN, flush=True)
    while True:  # as sympy is, busy in Python until a signal's exception ends it
        time.sleep(60)


def install_endless(set_attribute=setattr):
    """Replace the documents with one that never ends, once it has said that it began."""
    set_attribute(documents, "TOPICS", (("01_endless.md", "a derivation that never ends", _endless),))


if __name__ == "__main__":
    {"cheap": install, "endless": install_endless}[sys.argv.pop(1)]()
    runpy.run_module("derivations", run_name="__main__", alter_sys=True)
