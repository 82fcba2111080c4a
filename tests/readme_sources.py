"""The README shows functions of the trainers as they are in the source; this keeps the copies true.

A block in README.md that starts with the comment ``<!-- source: PATH NAME -->`` followed by a
fenced Python block holds the function NAME of the file PATH (its decorators included), copied
from the source.  ``python tests/readme_sources.py --write`` copies them again; tests/test_docs.py
fails when a copy differs from the source.
"""

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCK = re.compile(r"(<!-- source: (?P<path>\S+) (?P<name>\w+) -->\n```python\n)(?P<code>.*?)(^```)", re.S | re.M)


def function_source(path, name):
    """The text of the top-level function ``name`` in ``path``, from its first decorator to its end."""
    text = (ROOT / path).read_text(encoding="utf-8")
    for node in ast.parse(text).body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            return "\n".join(text.splitlines()[first - 1:node.end_lineno]) + "\n"
    raise LookupError(f"{path} has no top-level function {name}")


def copies(text):
    """[(path, name, the code the README holds)] for every source block of ``text``."""
    return [(m["path"], m["name"], m["code"]) for m in BLOCK.finditer(text)]


def refreshed(text):
    """``text`` with every source block holding its function's current source."""
    return BLOCK.sub(lambda m: m.group(1) + function_source(m["path"], m["name"]) + m.group(5), text)


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python tests/readme_sources.py --write")
    README.write_text(refreshed(README.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"copied {len(copies(README.read_text(encoding='utf-8')))} functions into {README.name}")
