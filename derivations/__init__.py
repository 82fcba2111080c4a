"""Sympy derivations of the gradients both trainers compute, written as Markdown with LaTeX.

``generate(out_dir)`` writes the files (committed under derivations/generated/);
``python -m derivations [--out DIR]`` does the same from the command line.
"""

from derivations.documents import DEFAULT_OUT, generate

__all__ = ["generate", "DEFAULT_OUT"]
