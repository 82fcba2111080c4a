"""derive's documents replaced by three cheap ones, so that derive writes in milliseconds.

For the tests of what derive does with its files and its errors, not of what sympy derives
(tests/test_derivations.py regenerates the real ones).  ``install`` takes the function that
sets an attribute: a test's ``monkeypatch.setattr``, or plain ``setattr`` in a child process
(tests/test_hostile_input.py runs ``python -m derivations`` that way).
"""

from derivations import documents

TOPICS = tuple((f"0{i}_topic.md", f"topic {i}", lambda i=i: f"# topic {i}\n") for i in range(1, 4))


def install(set_attribute=setattr):
    """Replace the documents; return the names derive then writes."""
    set_attribute(documents, "TOPICS", TOPICS)
    set_attribute(documents, "index", lambda: "# index\n")
    return [name for name, _, _ in TOPICS] + ["README.md"]
