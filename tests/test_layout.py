"""The folders show the architecture: the shared ground imports neither trainer, and neither
trainer imports the other (or anything that runs them)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TRAINERS = {"scalar_net", "matrix_net"}
RUNNERS = {"backprop_lab.commands", "backprop_lab.figures", "backprop_lab.check"}


def imported_modules(path):
    """Every module that the file at ``path`` imports, anywhere in it (lazy imports included)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _within(name, packages):
    return any(name == p or name.startswith(p + ".") for p in packages)


GROUND = sorted([*(p for p in (ROOT / "backprop_lab").glob("*.py") if p.name != "__main__.py"),  # that one is the CLI
                 *(ROOT / "backprop_lab" / "data").glob("*.py")])


@pytest.mark.parametrize("path", GROUND, ids=[str(p.relative_to(ROOT / "backprop_lab")) for p in GROUND])
def test_the_shared_ground_imports_no_trainer_and_no_command(path):
    wrong = {n for n in imported_modules(path) if _within(n, TRAINERS | RUNNERS)}
    assert not wrong, f"{path.name} imports {sorted(wrong)}"


@pytest.mark.parametrize("trainer, other", [("scalar_net", "matrix_net"), ("matrix_net", "scalar_net")])
def test_neither_trainer_imports_the_other_or_the_commands(trainer, other):
    for path in sorted((ROOT / trainer).glob("*.py")):
        wrong = {n for n in imported_modules(path) if _within(n, {other} | RUNNERS)}
        assert not wrong, f"{trainer}/{path.name} imports {sorted(wrong)}"
