"""``backprop-lab check`` and ``exercise`` as a student meets them.

Every student file in tests/students gets its verdict and its findings (one list, STUDENTS);
every file that cannot be checked goes through the command: exit status 2, one line that says
why, and no process left running; the exercise is checked untouched (not finished yet) and
completed (right).
"""

import importlib.util
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

import docs_check
from backprop_lab.check import CANNOT_CHECK, RIGHT, WRONG, check_file, check_gradients, runner
from backprop_lab.check.problem import Network, make_problem
from backprop_lab.commands.cli import main

FOLDER = Path(__file__).parent / "students"


@dataclass(frozen=True)
class Student:
    """A file of tests/students, the options it is checked with, and what the check must say.

    verdict: the exit status; findings: exactly these (kind, the parameter or else the layer);
    first_wrong: the layer of the first wrong delta from the output down; convention: the
    constant of the loss convention the gradients follow ('1' for the package's).
    """

    file: str
    verdict: int
    findings: frozenset = frozenset()
    first_wrong: int | None = None
    convention: str = "1"
    options: tuple = ()

    def __str__(self):
        return self.file

    @property
    def path(self):
        return FOLDER / f"{self.file}.py"


def right(file, convention="1", **options):
    return Student(file, RIGHT, convention=convention, options=tuple(options.items()))


def wrong(file, findings, first_wrong=None, convention="1", **options):
    return Student(file, WRONG, frozenset(findings), first_wrong, convention, tuple(options.items()))


STUDENTS = [
    # right, in both layouts, in loops and in matrices, and in the loss conventions students use
    right("matrix_rows"),
    right("matrix_explicit"),
    right("matrix_columns", columns=True),
    right("loops_rows"),
    right("loops_columns", columns=True),
    right("loops_no_bias", bias=False),
    right("bce_right", loss="bce"),
    right("half_mse", "1/2"),
    right("half_mse", loss="half-mse"),  # with the half-mse reference, the same file is the package's own
    right("summed_loss", "m"),
    right("half_sum_columns", "m/2", columns=True),
    # one file per mistake
    wrong("derivative_of_a", {("derivative_of_a", 3)}, first_wrong=3),
    wrong("derivative_of_a_loops", {("derivative_of_a", 2)}, first_wrong=2),
    wrong("tanh_derivative_of_a", {("derivative_of_a", 2)}, first_wrong=2, activation="tanh"),
    wrong("z_for_a", {("z_for_a", 2)}, first_wrong=2),
    wrong("missing_transpose", {("missing_transpose", 1)}, first_wrong=1),
    wrong("missing_transpose_columns", {("missing_transpose", 1)}, first_wrong=1, convention="m/2", columns=True),
    wrong("missing_transpose_no_bias", {("missing_transpose", 1)}, first_wrong=1, bias=False),
    wrong("missing_derivative", {("missing_derivative", 2)}, first_wrong=2),
    wrong("gradient_transposed", {("gradient_transposed", "W2")}),
    wrong("z_for_a_in_weight_gradient", {("z_for_a_in_weight_gradient", "W2"), ("z_for_a_in_weight_gradient", "W3")}),
    wrong("output_missing_derivative", {("output_missing_derivative", 3)}, first_wrong=3),
    wrong("bce_extra_derivative", {("output_extra_derivative", 3)}, first_wrong=3, loss="bce"),
    wrong("bias_averaged", {("bias_averaged", b) for b in ("b1", "b2", "b3")}),
    wrong("bias_one_sample", {("bias_one_sample", b) for b in ("b1", "b2", "b3")}),
    wrong("sign_flipped", {("sign_flipped", None)}, first_wrong=3),
    wrong("factor_two", {("factor", None)}, first_wrong=3),
    wrong("matrix_rows", {("factor", None)}, first_wrong=3, loss="half-mse"),  # MSE's gradients: twice half-mse's
    wrong("nan_gradient", {("not_finite", "b2")}),
    wrong("forward_without_bias", {("forward_wrong", None)}),
]


def findings(report):
    return {(f.kind, f.parameter or f.layer) for f in report.findings()}


@pytest.mark.parametrize("student", STUDENTS, ids=str)
def test_each_student_file_gets_its_verdict_and_its_finding(student):
    report = check_file(student.path, **dict(student.options))
    assert report.status == student.verdict, str(report)
    assert findings(report) == student.findings, str(report)
    assert report.convention.name == student.convention
    if student.verdict == WRONG:
        assert (report.diagnosis.first_wrong if report.diagnosis else None) == student.first_wrong, str(report)
        assert bool(report.explanation) == any(not a.ok for a in report.parameters)


def _import(name):
    spec = importlib.util.spec_from_file_location(f"student_{name}", FOLDER / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_check_gradients_takes_the_functions_and_says_what_check_file_says():
    for name in ("matrix_rows", "missing_transpose"):
        module = _import(name)
        in_process = check_gradients(module.gradients, forward=module.forward)
        in_child = check_file(FOLDER / f"{name}.py")
        assert (in_process.status, findings(in_process)) == (in_child.status, findings(in_child))
        text, child_text = str(in_process), str(in_child)
        assert text[text.index("\nlayout:"):] == child_text[child_text.index("\nlayout:"):]  # all but the name


def scaled(gradients, factor):
    """The student's gradients times factor(m)."""
    def scaled_gradients(params, X, y):
        return [g * factor(X.shape[0]) for g in gradients(params, X, y)]
    return scaled_gradients


#: (the factor in m, the verdict, the convention's constant or the finding)
FACTORS = [
    (lambda m: 0.5, RIGHT, "1/2"), (lambda m: m, RIGHT, "m"), (lambda m: m / 2, RIGHT, "m/2"),
    (lambda m: 2.0, WRONG, ("factor", "2")), (lambda m: 1 / m, WRONG, ("factor", "1/m")),
    (lambda m: 2 * m, WRONG, ("factor", "2·m")), (lambda m: -1.0, WRONG, ("sign_flipped", "-1")),
    (lambda m: -0.5, WRONG, ("sign_flipped", "-1/2")), (lambda m: -m, WRONG, ("sign_flipped", "-m")),
]


@pytest.mark.parametrize("factor, verdict, expected", FACTORS, ids=[str(f[2]) for f in FACTORS])
def test_only_the_constants_of_a_loss_convention_are_right(factor, verdict, expected):
    report = check_gradients(scaled(_import("matrix_rows").gradients, factor))
    assert report.status == verdict, str(report)
    if verdict == RIGHT:
        assert report.convention.name == expected
        assert f"the reference times {expected}: right for" in str(report)
    else:
        kind, constant = expected
        assert report.factor.constant == constant
        assert kind in {f.kind for f in report.findings()}


def test_one_entry_off_in_the_fourth_digit_is_wrong_and_found_but_rounding_is_right():
    gradients = _import("matrix_rows").gradients

    def off(relative):
        def student(params, X, y):
            grads = gradients(params, X, y)
            grads[2][1, 3] *= 1 + relative  # dL/dW2[1,3]
            return grads
        return student

    report = check_gradients(off(1e-4))
    assert report.status == WRONG
    assert [a.name for a in report.parameters if not a.ok] == ["W2"]
    assert report.parameters[2].where[1] == (1, 3)
    assert check_gradients(off(1e-13)).status == RIGHT


def test_the_first_wrong_entry_is_shown_with_the_lines_trace_prints_for_it(tmp_path, capsys):
    report = check_file(FOLDER / "derivative_of_a_loops.py")
    name, m, index, _, _ = report.first_wrong
    assert (name, m) == ("W2", 1)
    problem = make_problem(Network(), report.seed)
    params = tmp_path / "params.json"
    params.write_text(json.dumps([p.tolist() for p in problem.params]))
    (x0, x1), (y,) = (float(v) for v in problem.batches[0].X[0]), (float(problem.batches[0].Y[0, 0]),)
    capsys.readouterr()
    assert main(["trace", "--params", str(params), "--input", repr(x0), repr(x1), "--target", repr(y)]) == 0
    trace = re.sub(r"\s+", " ", capsys.readouterr().out)  # trace wraps long equations
    entry, delta, *above = report.explanation
    assert entry in trace
    formula, *links = delta.split(" = ")
    assert f"= {links[-2]} = {links[-1]}" in trace  # δ2[j]'s factors and value, as trace prints them
    for line in above:
        for number in line.split("[", 1)[1].rstrip("]").split(", "):
            assert f"= {number}" in trace


# -- the command: files that cannot be checked, each one line and exit status 2, nothing left running

def _running(pid):
    """Whether process ``pid`` still runs (a zombie waiting for its parent to reap it does not)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True


@pytest.fixture
def started(monkeypatch):
    """The pids of the children the checks start."""
    pids = []
    enter = runner.StudentProcess.__enter__

    def recording(self):
        entered = enter(self)
        pids.append(self.pid)
        return entered

    monkeypatch.setattr(runner.StudentProcess, "__enter__", recording)
    return pids


BAD_FILES = [
    ("syntax_error", [], "a syntax error: '[' was never closed (line 7 of"),
    ("no_gradients", [], "it has no function gradients(params, X, y)"),
    ("raises", [], "gradients raises IndexError: list index out of range (line 10 of"),
    ("import_raises", [], "importing it raises FileNotFoundError"),
    ("wrong_count", [], "gradients returned 3 arrays; the 2-4-4-1 network with bias"),
    ("wrong_shape", [], "the gradient of W1 has shape (4, 2) (it looks transposed); W1 is (2, 4)"),
    ("endless_loop", ["--timeout", "1"], "gradients ran longer than the time limit of 1 s and was stopped"),
    ("exits", [], "gradients ended the Python process running it (exit status 3)"),
    ("crashes", [], "gradients ended the Python process running it (killed by SIGSEGV)"),
    ("calls_sys_exit", [], "gradients calls sys.exit(0)"),
    ("matrix_columns", [], "forward raises ValueError"),
    ("no_such_file", [], "argument PATH.py: no file"),
    ("matrix_rows", ["--hidden", "100", "100"], "the network has 10501 parameters; check takes at most 5000"),
]


@pytest.mark.parametrize("name, options, says", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_file_that_cannot_be_checked_gets_one_line_and_exit_status_2(name, options, says, started, tmp_path,
                                                                        monkeypatch, capsys):
    pids = tmp_path / "pids"
    monkeypatch.setenv("CHECK_PIDS", str(pids))  # endless_loop writes its own pid and its helper's
    assert main(["check", str(FOLDER / f"{name}.py"), *options]) == 2
    out, err = capsys.readouterr()
    errors = [line for line in err.splitlines() if line.startswith("backprop-lab: error:")]
    assert out == ""
    assert len(errors) == 1 and err.splitlines()[-1] == errors[0], err
    assert says in errors[0]
    left = started + ([int(p) for p in pids.read_text().split()] if pids.exists() else [])
    assert name != "endless_loop" or len(left) == 3
    assert not [pid for pid in left if _running(pid)]


def test_the_students_own_traceback_is_shown_and_none_of_the_checkers(capsys):
    assert main(["check", str(FOLDER / "raises.py")]) == 2
    err = capsys.readouterr().err
    traceback = err[err.index("Traceback"):err.index("backprop-lab: error:")]
    assert f'File "{FOLDER / "raises.py"}", line 10, in gradients' in traceback
    assert "backprop_lab" not in traceback


@pytest.mark.parametrize("name, options, advice", [("matrix_columns", [], "run with --columns"),
                                                   ("matrix_rows", ["--columns"], "run without --columns")])
def test_a_file_in_the_other_layout_is_told_so(name, options, advice, capsys):
    assert main(["check", str(FOLDER / f"{name}.py"), *options]) == 2
    assert f"layout: {advice}" in capsys.readouterr().err


def test_the_report_prints_what_the_command_prints_and_the_exit_status_is_the_verdict(capsys):
    path = FOLDER / "bias_one_sample.py"
    assert main(["check", str(path)]) == WRONG
    assert capsys.readouterr().out == str(check_file(path))


def test_json_records_the_verdict_for_a_teacher(tmp_path, capsys):
    documents = {}
    for name, options in (("bias_averaged", []), ("half_mse", []), ("syntax_error", [])):
        path = tmp_path / f"{name}.json"
        main(["check", str(FOLDER / f"{name}.py"), "--json", str(path), *options])
        documents[name] = json.loads(path.read_text())
    wrong_, half, bad = documents["bias_averaged"], documents["half_mse"], documents["syntax_error"]
    assert (wrong_["ok"], wrong_["status"], wrong_["factor"]) == (False, 1, None)
    assert list(wrong_["parameters"]) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert [wrong_["parameters"][n]["ok"] for n in ("W1", "b1")] == [True, False]
    averaged = {("bias_averaged", b) for b in ("b1", "b2", "b3")}
    assert {(f["kind"], f["parameter"]) for f in wrong_["findings"]} == averaged
    assert (half["ok"], half["factor"], half["findings"]) == (True, "1/2", [])
    assert (bad["ok"], bad["status"]) == (None, CANNOT_CHECK) and "syntax error" in bad["error"]


def test_compare_puts_two_forms_side_by_side(tmp_path, capsys):
    path = tmp_path / "pair.json"
    loops, matrix = str(FOLDER / "loops_rows.py"), str(FOLDER / "matrix_rows.py")
    assert main(["check", "--compare", loops, matrix, "--json", str(path)]) == RIGHT
    document = json.loads(path.read_text())
    assert document["ok"] and document["equal_to_the_last_bit"] is False
    assert 0 < document["largest_difference"] < 1e-15  # the same sums, taken in another order
    assert "rounding only, both being right" in " ".join(capsys.readouterr().out.split())
    assert main(["check", "--compare", loops, str(FOLDER / "z_for_a.py")]) == WRONG
    out = " ".join(capsys.readouterr().out.split())
    assert f"{loops}: right; {FOLDER / 'z_for_a.py'}: wrong" in out and "finding: layer 2: z where a belongs" in out


# -- the exercise

def complete(text, bias, loss):
    """The exercise file with every blank filled in, as a student who gets it right would."""
    output_delta = {"mse": ("Delta = (2 / m) * (As[L] - y) * As[L] * (1 - As[L])",
                            "delta[L][0] = (2 / m) * (a[L][0] - y[s, 0]) * a[L][0] * (1 - a[L][0])"),
                    "half-mse": ("Delta = (1 / m) * (As[L] - y) * As[L] * (1 - As[L])",
                                 "delta[L][0] = (1 / m) * (a[L][0] - y[s, 0]) * a[L][0] * (1 - a[L][0])"),
                    "bce": ("Delta = (As[L] - y) / m", "delta[L][0] = (a[L][0] - y[s, 0]) / m")}[loss]
    plus_b = " + b" if bias else ""
    blanks = {
        "forward_pass: Z and A of layer l": [f"Z = As[-1] @ W{plus_b}",
                                             "A = g(Z) if l < len(SIZES) - 1 else sigmoid(Z)"],
        "gradients: Delta of the output layer": [output_delta[0]],
        "gradients: dW and db of layer l": ["dW = As[l - 1].T @ Delta", "db = Delta.sum(axis=0)"],
        "gradients: dW of layer l": ["dW = As[l - 1].T @ Delta"],
        "gradients: Delta of layer l - 1": ["Delta = (Delta @ Ws[l].T) * g_prime(Zs[l - 1])"],
        "forward_sample: z[l][j] and a[l][j]": [
            f"z[l][j] = sum(a[l - 1][i] * W[i, j] for i in range(SIZES[l - 1])){plus_b}[j]" if bias else
            "z[l][j] = sum(a[l - 1][i] * W[i, j] for i in range(SIZES[l - 1]))",
            "a[l][j] = g(z[l][j]) if l < len(SIZES) - 1 else sigmoid(z[l][j])"],
        "gradients: delta[L][0] of the output neuron": [output_delta[1]],
        "gradients: delta[l][i] of a hidden neuron": [
            "delta[l][i] = g_prime(z[l][i]) * sum(W[i, j] * delta[l + 1][j] for j in range(SIZES[l + 1]))"],
        "gradients: dW[i, j] of this sample": ["dW[i, j] += a[l - 1][i] * delta[l][j]"],
        "gradients: db[j] of this sample": ["db[j] += delta[l][j]"],
    }
    lines = []
    for line in text.splitlines():
        blank = re.fullmatch(r'(\s*)raise NotImplementedError\("(.*)"\)', line)
        lines += [blank[1] + code for code in blanks[blank[2]]] if blank else [line]
    return "\n".join(lines) + "\n"


EXERCISES = [("matrix", []), ("elementwise", []),
             ("elementwise", ["--no-bias", "--loss", "bce", "--activation", "tanh"]),
             ("matrix", ["--hidden", "3", "5", "--activation", "relu", "--no-bias"]),
             ("elementwise", ["--loss", "half-mse"])]


@pytest.mark.parametrize("form, options", EXERCISES, ids=[" ".join([f, *o]) for f, o in EXERCISES])
def test_the_exercise_is_not_finished_untouched_and_right_once_completed(form, options, tmp_path, capsys):
    path = tmp_path / "mynet.py"
    assert main(["exercise", str(path), "--form", form, *options]) == 0
    command = re.search(r"^    backprop-lab (check .*)$", path.read_text(), re.M)[1].split()  # what it says to run
    assert command[:2] == ["check", str(path)] and sorted(command[2:]) == sorted(options)
    capsys.readouterr()
    assert main(command) == CANNOT_CHECK
    err = capsys.readouterr().err
    assert "not finished yet" in err and "raises NotImplementedError" in err and "wrong" not in err
    loss = options[options.index("--loss") + 1] if "--loss" in options else "mse"
    path.write_text(complete(path.read_text(), "--no-bias" not in options, loss))
    assert main(command) == RIGHT, capsys.readouterr().out


def test_exercise_never_overwrites_a_file(tmp_path, capsys):
    path = tmp_path / "mine.py"
    path.write_text("# my own work\n")
    assert main(["exercise", str(path)]) == 2
    assert "exists already" in capsys.readouterr().err
    assert path.read_text() == "# my own work\n"


def test_the_exercise_file_states_its_conventions_and_points_to_the_derivations(tmp_path):
    path = tmp_path / "e.py"
    assert main(["exercise", str(path), "--form", "elementwise", "--no-bias"]) == 0
    text = path.read_text()
    for needed in ("params   [W1, W2, W3]", "W_l      (fan_in, fan_out)", "X        (m, 2)",
                   "L = (1/m) Σ_s (ŷ_s − y_s)²", "dL/dŷ_s = (2/m)(ŷ_s − y_s)"):
        assert needed in text
    folder = Path(__file__).resolve().parent.parent / "derivations" / "generated"
    for name in re.findall(r"^    (\d\d_[\w.-]+\.md)", text, re.M):
        assert (folder / name).is_file(), name


#: A row of check's table whose verdict is "right": its two errors against the reference, where
#: the largest is, and its error against the finite differences.
RIGHT_ROW = re.compile(r"^(  \S+ +\(.*?\) +right +)(\S+) +(\S+) +(\[[^]]*\], m = \d+) +(\S+)$", re.M)


def rounding_blurred(text):
    """``text`` with the numbers of every right row replaced by a mark while they are rounding:
    errors against the reference below 1e-13 (the last bits of a float; relative, below 1e-9,
    which an entry near 0 reaches with its last bits) and against the finite differences below
    1e-10 (what they are good to).  The student's ``@`` and ``np.exp`` round as
    its CPU's BLAS and SIMD code do, so those digits and the index of the largest vary between
    machines (docs/check.md says so).  A number past them stays as printed, so a real
    difference still fails."""
    def blurred(match):
        start, absolute, relative, where, differences = match.groups()
        if float(absolute) >= 1e-13 or float(relative) >= 1e-9 or float(differences) >= 1e-10:
            return match[0]
        return f"{start}(rounding)"
    return RIGHT_ROW.sub(blurred, text)


def test_rounding_blurred_hides_the_last_bits_only():
    row = "  W3         (4, 1)  right    1.4e-17    3.7e-16    [1,0], m = 5     5.0e-12"
    assert rounding_blurred(row) == rounding_blurred(row.replace("3.7e-16    [1,0]", "3.6e-16    [0,0]")) \
        == rounding_blurred(row.replace("5.0e-12", "4.6e-12")) == "  W3         (4, 1)  right    (rounding)"
    for louder in (row.replace("1.4e-17", "1.4e-12"), row.replace("3.7e-16", "3.7e-09"), row.replace("5.0e-12", "5.0e-09"),
                   row.replace("right", "WRONG")):
        assert rounding_blurred(louder) == louder


def test_docs_check_md_shows_what_the_commands_print():
    results, problems = docs_check.run()
    assert not problems, problems
    ran = [command for _, commands in results for command in commands]
    assert len(ran) == 8
    for command, shown, printed in ran:
        assert rounding_blurred(printed) == rounding_blurred(shown), \
            f"{command}: run `python tests/docs_check.py --write` and read the diff"
