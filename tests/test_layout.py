"""The folders show the architecture: the shared ground imports neither trainer, neither trainer
imports the other (or anything that runs them), every command is one folder that imports no other
command, and no module of the package imports itself through others (no import cycle)."""

import ast
import importlib
import inspect
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TRAINERS = {"scalar_net", "matrix_net"}
RUNNERS = {"backprop_lab.commands", "backprop_lab.figures", "backprop_lab.check", "backprop_lab.play"}
#: The one import of the ground from a part that runs the trainers: ``backprop_lab.playground()``,
#: the name a notebook calls, imports the playground only when it is called.
DOORS = {("__init__.py", "backprop_lab.play.view"), ("__init__.py", "backprop_lab.play.view.playground")}


def imports(path):
    """(module, name) for every import in the file at ``path``, anywhere in it (lazy imports inside
    functions included): ``import a.b`` gives ("a.b", None), ``from a import b`` ("a", "b"), and
    ``from .b import c`` in the module ``a.m`` ("a.b", "c")."""
    found = []
    package = module_name(path).rpartition(".")[0] if path.name != "__init__.py" else module_name(path)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package, up level - 1
                parents = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parents + ([base] if base else []))
            found += [(base, alias.name) for alias in node.names]
    return found


def imported_modules(path):
    """Every module that the file at ``path`` imports, anywhere in it (lazy imports included)."""
    names = set()
    for module, name in imports(path):
        names.add(module)
        if name:
            names.add(f"{module}.{name}")
    return names


def module_name(path):
    """``backprop_lab/commands/cli.py`` -> ``backprop_lab.commands.cli`` (a package: its folder's name)."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _within(name, packages):
    return any(name == p or name.startswith(p + ".") for p in packages)


GROUND = sorted([*(p for p in (ROOT / "backprop_lab").glob("*.py") if p.name != "__main__.py"),  # that one is the CLI
                 *(ROOT / "backprop_lab" / "data").glob("*.py")])


@pytest.mark.parametrize("path", GROUND, ids=[str(p.relative_to(ROOT / "backprop_lab")) for p in GROUND])
def test_the_shared_ground_imports_no_trainer_and_no_command(path):
    wrong = {n for n in imported_modules(path) if _within(n, TRAINERS | RUNNERS)}
    wrong -= {n for name, n in DOORS if name == path.name}
    assert not wrong, f"{path.name} imports {sorted(wrong)}"


@pytest.mark.parametrize("trainer, other", [("scalar_net", "matrix_net"), ("matrix_net", "scalar_net")])
def test_neither_trainer_imports_the_other_or_the_commands(trainer, other):
    for path in sorted((ROOT / trainer).glob("*.py")):
        wrong = {n for n in imported_modules(path) if _within(n, {other} | RUNNERS)}
        assert not wrong, f"{trainer}/{path.name} imports {sorted(wrong)}"


# ---------------------------------------------------------------------------------- commands

COMMANDS_FOLDER = ROOT / "backprop_lab" / "commands"
COMMANDS = sorted(p.parent.name for p in COMMANDS_FOLDER.glob("*/command.py"))
SHARED = "backprop_lab.commands.shared"


def test_every_command_is_a_folder_with_add_parser_and_run():
    assert COMMANDS == ["bench", "check", "compare", "derive", "exercise", "experiment", "trace"]
    from backprop_lab.commands import cli

    assert sorted(command.__name__.split(".")[-2] for command in cli.COMMANDS) == COMMANDS
    for command in cli.COMMANDS:
        assert callable(command.add_parser) and callable(command.run), command.__name__


@pytest.mark.parametrize("command", COMMANDS)
def test_a_command_imports_no_other_command(command):
    others = {f"backprop_lab.commands.{c}" for c in COMMANDS if c != command} | {"backprop_lab.commands.cli"}
    for path in sorted((COMMANDS_FOLDER / command).glob("*.py")):
        if path.name == "__main__.py":  # `python -m`: runs the command through cli.main
            continue
        wrong = {n for n in imported_modules(path) if _within(n, others)}
        assert not wrong, f"{command}/{path.name} imports {sorted(wrong)}"


def test_what_the_commands_share_imports_no_command_and_cli_no_trainer():
    commands = {f"backprop_lab.commands.{c}" for c in COMMANDS} | {"backprop_lab.commands.cli"}
    for path in sorted((COMMANDS_FOLDER / "shared").glob("*.py")):
        wrong = {n for n in imported_modules(path) if _within(n, commands)}
        assert not wrong, f"shared/{path.name} imports {sorted(wrong)}"
    wrong = {n for n in imported_modules(COMMANDS_FOLDER / "cli.py") if _within(n, TRAINERS)}
    assert not wrong, f"cli.py imports {sorted(wrong)}: a command runs the trainers, not cli"


# ---------------------------------------------------------------------------------- cycles

PACKAGES = ("backprop_lab", "scalar_net", "matrix_net", "derivations")


def import_graph():
    """{module: the package's modules it imports}, over every module of the four packages.

    ``from a import b`` is an edge to the module a.b where b is one, else to a (its __init__).
    """
    modules = {module_name(p): p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))}
    graph = {}
    for name, path in modules.items():
        targets = set()
        for module, imported in imports(path):
            if imported and f"{module}.{imported}" in modules:
                targets.add(f"{module}.{imported}")
            elif module in modules:
                targets.add(module)
        graph[name] = sorted(targets - {name})
    return graph


def cycles(graph):
    """Every import cycle found by a depth-first walk, each as [a, b, ..., a]."""
    found, state = [], {}  # state: 1 on the current path, 2 done

    def walk(module, path):
        state[module] = 1
        path.append(module)
        for target in graph[module]:
            if state.get(target) == 1:
                found.append(path[path.index(target):] + [target])
            elif target not in state:
                walk(target, path)
        path.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            walk(module, [])
    return found


def test_the_graph_sees_every_module_and_its_lazy_imports():
    graph = import_graph()
    assert {"backprop_lab.commands.cli", "scalar_net", "matrix_net", "derivations.documents"} <= set(graph)
    # compare's command imports its training run inside run(), as a lazy import:
    assert "backprop_lab.commands.compare.run" in graph["backprop_lab.commands.compare.command"]
    assert cycles({"a": ["b"], "b": ["c"], "c": ["a"]}) == [["a", "b", "c", "a"]]


def test_no_module_imports_itself_through_others():
    found = cycles(import_graph())
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(cycle) for cycle in found)


# -- the two trainers, mirrored name for name

def _arguments(function):
    return list(inspect.signature(function).parameters)


@pytest.mark.parametrize("module, names", [
    ("backprop", ["forward", "backward", "gradients", "batch_gradient", "trace_step"]),
    ("training", ["train_loop", "pack", "unpack", "memory_bytes", "train", "batch_gradient", "trace_step",
                  "predict", "all_activations"]),
])
def test_the_trainers_have_the_same_functions_with_the_same_arguments_in_the_same_order(module, names):
    """matrix_net's arguments, up to its ``mode`` (how it multiplies) or ``exact``, are the first of
    scalar_net's, the same names in capitals (X for x, Delta for delta); what scalar_net takes
    after them are the arrays its compiled code fills in place of returning new ones."""
    scalar = importlib.import_module(f"scalar_net.{module}")
    matrix = importlib.import_module(f"matrix_net.{module}")
    for name in names:
        ours, theirs = _arguments(getattr(scalar, name)), _arguments(getattr(matrix, name))
        for own in ("mode", "exact"):
            theirs = theirs[:theirs.index(own)] if own in theirs else theirs
        assert [a.lower() for a in ours[:len(theirs)]] == [a.lower() for a in theirs], name
