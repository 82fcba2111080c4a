"""``backprop-lab trace``: every printed number is the trainers' own, and a hand-sized net's
numbers are the exact ones (computed here at 50 digits, independently of both trainers)."""

import json
import re
from pathlib import Path

import mpmath
import numpy as np
import pytest

import matrix_net
import scalar_net
from backprop_lab.commands.trace import step as trace_module
from backprop_lab.commands.trace import markdown as trace_markdown
from backprop_lab.commands.trace import text as trace_text
from backprop_lab.commands.cli import main
from backprop_lab.config import Config, prepare
from cases import CLASS_MODELS, MODELS, ids, random_inputs

EQUATION = re.compile(r"^  (\S[^=←]*?) (=|←) ")


def trace_output(capsys, *args):
    assert main(["trace", *args]) == 0
    return capsys.readouterr().out


def printed_values(out):
    """[(lhs, value)] of every equation of sections 1-4, in order: the number each chain ends in."""
    values, lhs = [], None
    lines = out.splitlines()
    for line in lines[lines.index("1. Forward pass, neuron by neuron"):]:
        if line.startswith("5. "):
            break
        start = EQUATION.match(line)
        if start:
            if lhs:
                values.append((lhs, float(last)))
            lhs = start.group(1)
        elif not line.startswith("   "):  # a heading or a line of text ends the equation
            if lhs:
                values.append((lhs, float(last)))
            lhs = None
            continue
        last = line.rsplit(" = ", 1)[-1].strip()
    if lhs:
        values.append((lhs, float(last)))
    return values


def expected_values(params, X, Y, lr, sizes, bias, **model):
    """The same list, built from the trainers directly, in the order the trace prints it."""
    t = scalar_net.trace_step(params, X, Y, **model)
    new = scalar_net.train(params, X, Y, lr=lr, epochs=1, **model).params
    L, m = len(sizes) - 1, X.shape[0]
    out = []
    for s in range(m):
        for l in range(1, L + 1):
            for j in range(sizes[l]):
                out += [(f"z{l}[{j}]", t.Z[l][s, j]), ("ŷ" if l == L else f"a{l}[{j}]", t.A[l][s, j])]
    for s in range(m):
        out.append(("ℓ" if m == 1 else "ℓ(", t.losses[s]))
    out.append(("L", t.loss))
    for s in range(m):
        out.append((f"δ{L}[0]", t.Delta[L][s, 0]))
        for l in range(L - 1, 0, -1):
            out += [(f"δ{l}[{i}]", t.Delta[l][s, i]) for i in range(sizes[l])]
    per_layer = 2 if bias else 1
    for l in range(1, L + 1):
        gW, W_new = t.grads[per_layer * (l - 1)], new[per_layer * (l - 1)]
        for i in range(sizes[l - 1]):
            for j in range(sizes[l]):
                out += [(f"∂L/∂W{l}[{i},{j}]", gW[i, j]), (f"W{l}[{i},{j}]", W_new[i, j])]
        if bias:
            gb, b_new = t.grads[2 * l - 1], new[2 * l - 1]
            for j in range(sizes[l]):
                out += [(f"∂L/∂b{l}[{j}]", gb[j]), (f"b{l}[{j}]", b_new[j])]
    return [(name, float(value)) for name, value in out]


def same(printed, expected):
    assert len(printed) == len(expected)
    for (name, value), (want_name, want) in zip(printed, expected):
        assert name.startswith(want_name), (name, want_name)
        assert value == want, (name, value, want)


#: (command line, the same run's Config, the rows of the data set it traces)
TRACED = [
    ([], Config(), [0]),
    (["--samples", "2", "4", "7"], Config(), [1, 3, 6]),
    (["--sample", "5", "--no-bias", "--activation", "tanh", "--loss", "bce", "--lr", "0.3"],
     Config(bias=False, activation="tanh", loss="bce", lr=0.3), [4]),
    (["--dataset", "linear", "--sample", "9", "--hidden", "3", "--activation", "silu", "--seed", "4"],
     Config(dataset="linear", hidden=(3,), activation="silu", seed=4), [8]),
    (["--samples", "1", "2", "--hidden", "2", "2", "2", "--activation", "leaky-relu", "--leaky-slope", "0.2"],
     Config(hidden=(2, 2, 2), activation="leaky-relu", leaky_slope=0.2), [0, 1]),
]


@pytest.mark.parametrize("args, config, rows", TRACED, ids=[" ".join(a) or "defaults" for a, _, _ in TRACED])
def test_every_printed_number_reads_back_as_the_trainers_number(args, config, rows, capsys):
    out = trace_output(capsys, *args, "--digits", "17")
    X, Y, params = prepare(config)
    expected = expected_values(params, X[rows], Y[rows], config.lr, config.sizes, config.bias,
                               activation=config.activation, loss=config.loss, leaky_slope=config.leaky_slope)
    same(printed_values(out), expected)


def test_at_six_digits_the_numbers_are_the_trainers_rounded(capsys):
    out = trace_output(capsys)
    X, Y, params = prepare(Config())
    for (name, value), (_, want) in zip(printed_values(out), expected_values(params, X[:1], Y[:1], 1.0, (2, 4, 4, 1), True)):
        assert value == float(f"{want:.6g}"), name


def test_the_lab_network_reads_at_100_columns_and_a_wide_one_says_what_it_elides(capsys):
    out = trace_output(capsys, "--samples", "1", "4")
    assert max(len(line) for line in out.splitlines()) <= 100
    assert "elided" not in out and "more terms" not in out
    wide = trace_output(capsys, "--hidden", "12")
    assert "neurons 3 to 10 (8 of them) elided" in wide and "(8 more terms)" in wide
    assert "⋮ (8 more rows)" in wide and "…8 more…" in wide  # W2 (12×1) and Z1 (1×12) of section 5
    assert max(len(line) for line in wide.splitlines()) <= 100


def printed_matrix(out, name):
    """The values of the matrix ``name`` of section 5."""
    lines = out.splitlines()
    start = next(k for k, line in enumerate(lines) if line.startswith(f"  {name} "))
    rows = []
    for line in lines[start + 1:]:
        if not line.lstrip().startswith("["):
            if rows:
                break
            continue
        rows.append([float(v) for v in line.strip(" []").split()])
    return np.array(rows)


def test_the_matrix_section_holds_the_same_numbers(capsys):
    out = trace_output(capsys, "--samples", "3", "8", "--digits", "17")
    X, Y, params = prepare(Config())
    t = matrix_net.trace_step(params, X[[2, 7]], Y[[2, 7]], exact=True)
    for name, want in (("Z2", t.Z[2]), ("A3", t.A[3]), ("Δ1", t.Delta[1]), ("∂L/∂W2", t.grads[2]),
                       ("∂L/∂b1", t.grads[1][None, :])):
        assert np.array_equal(printed_matrix(out, name), want), name


@pytest.mark.parametrize("case", MODELS + CLASS_MODELS, ids=ids(MODELS + CLASS_MODELS))
def test_every_model_traces_with_both_trainers_agreeing_to_the_bit(case, tmp_path):
    """trace.run raises Mismatch unless both trainers, their batch_gradient and train() agree, and
    the typesetters raise it unless every printed equation reproduces the trainers' result."""
    params, X, Y = random_inputs(case, 3, seed=11)
    config = Config(hidden=case.hidden, bias=case.bias, activation=case.activation, loss=case.loss, lr=case.lr,
                    classes=case.classes)
    step = trace_module.run(config, X, Y, params, ["a", "b", "c"])
    assert trace_text.render(step, 6, []).count("\n") > 20
    assert trace_markdown.render(step, 6, [], tmp_path / "t.md", tmp_path).count("$$") % 2 == 0


# -- a hand-sized net against exact arithmetic ----------------------------------------------------

HAND_PARAMS = [[[0.15, -0.25], [0.2, 0.3]], [0.35, -0.1], [[0.4], [-0.45]], [0.6]]  # W1, b1, W2, b2
HAND_X, HAND_Y = (0.05, 0.1), 0.01


def exact_step(loss, momentum_form=None, beta=0.9):
    """Every number of the 2-2-1 step, by the textbook formulas at 50 significant digits; with a
    ``momentum_form``, momentum's first step from v = 0 (its velocity before each new parameter)."""
    mpmath.mp.dps = 50
    W1, b1, W2, b2 = ([[mpmath.mpf(repr(v)) for v in row] for row in HAND_PARAMS[0]],
                      [mpmath.mpf(repr(v)) for v in HAND_PARAMS[1]],
                      [[mpmath.mpf(repr(v)) for v in row] for row in HAND_PARAMS[2]], mpmath.mpf(repr(HAND_PARAMS[3][0])))
    x, y = [mpmath.mpf(repr(v)) for v in HAND_X], mpmath.mpf(repr(HAND_Y))
    sigma = lambda z: 1 / (1 + mpmath.exp(-z))  # noqa: E731
    z1 = [x[0] * W1[0][j] + x[1] * W1[1][j] + b1[j] for j in range(2)]
    a1 = [sigma(z) for z in z1]
    z2 = a1[0] * W2[0][0] + a1[1] * W2[1][0] + b2
    y_hat = sigma(z2)
    if loss == "mse":
        ell = (y_hat - y) ** 2
        d2 = 2 * (y_hat - y) * y_hat * (1 - y_hat)
    elif loss == "half-mse":
        ell = (y_hat - y) ** 2 / 2
        d2 = (y_hat - y) * y_hat * (1 - y_hat)
    else:
        ell = -(y * mpmath.log(y_hat) + (1 - y) * mpmath.log(1 - y_hat))
        d2 = y_hat - y
    d1 = [a1[i] * (1 - a1[i]) * W2[i][0] * d2 for i in range(2)]
    values = [("z1[0]", z1[0]), ("a1[0]", a1[0]), ("z1[1]", z1[1]), ("a1[1]", a1[1]), ("z2[0]", z2), ("ŷ", y_hat),
              ("ℓ", ell), ("L", ell), ("δ2[0]", d2), ("δ1[0]", d1[0]), ("δ1[1]", d1[1])]
    weight = {None: None, "classic": 1, "average": 1 - mpmath.mpf(repr(beta))}[momentum_form]

    def step(name, theta, g):  # lr = 1
        if weight is None:
            return [(f"∂L/∂{name}", g), (name, theta - g)]
        return [(f"∂L/∂{name}", g), (f"v({name})", weight * g), (name, theta - weight * g)]

    for i in range(2):
        for j in range(2):
            values += step(f"W1[{i},{j}]", W1[i][j], x[i] * d1[j])
    for j in range(2):
        values += step(f"b1[{j}]", b1[j], d1[j])
    for i in range(2):
        values += step(f"W2[{i},0]", W2[i][0], a1[i] * d2)
    values += step("b2[0]", b2, d2)
    return values


@pytest.mark.parametrize("loss", ["mse", "bce", "half-mse"])
def test_a_hand_sized_net_prints_the_exact_numbers_to_the_last_few_bits(loss, tmp_path, capsys):
    path = tmp_path / "weights.json"
    path.write_text(json.dumps(HAND_PARAMS))
    out = trace_output(capsys, "--hidden", "2", "--params", str(path), "--input", *map(str, HAND_X),
                       "--target", str(HAND_Y), "--loss", loss, "--digits", "17")
    printed = printed_values(out)
    exact = exact_step(loss)
    assert [name for name, _ in printed] == [name for name, _ in exact]
    for (name, value), (_, true) in zip(printed, exact):
        # Each number went through a handful of roundings in double precision (eps = 2.2e-16).
        assert abs(value - float(true)) <= 1e-14 * max(abs(float(true)), 1e-2), (name, value, true)


@pytest.mark.parametrize("form", ["classic", "average"])
def test_a_momentum_step_prints_the_velocity_from_zero_and_the_step_it_takes(form, tmp_path, capsys):
    path = tmp_path / "weights.json"
    path.write_text(json.dumps(HAND_PARAMS))
    out = trace_output(capsys, "--hidden", "2", "--params", str(path), "--input", *map(str, HAND_X),
                       "--target", str(HAND_Y), "--loss", "half-mse", "--optimizer", "momentum",
                       "--momentum-form", form, "--digits", "17")
    rule = "(1 − β)·∂L/∂w" if form == "average" else "∂L/∂w"
    assert "w ← w − lr·∂L/∂w" not in out and f"v ← β·v + {rule} from v = 0, w ← w − lr·v, β = 0.9" in out
    printed = printed_values(out)
    exact = exact_step("half-mse", form)
    assert [name for name, _ in printed] == [name for name, _ in exact]
    for (name, value), (_, true) in zip(printed, exact):
        assert abs(value - float(true)) <= 1e-14 * max(abs(float(true)), 1e-2), (name, value, true)


# -- --params ----------------------------------------------------------------------------------

def test_params_round_trips_compare_json(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a short path, which trace prints unwrapped (xdist's tmp_path is longer)
    path = Path("run.json")
    common = ["--hidden", "3", "2", "--no-bias", "--seed", "5", "--activation", "relu"]
    assert main(["compare", "--epochs", "1", "--report-every", "1", *common, "--json", str(path)]) == 0
    capsys.readouterr()
    from_file = trace_output(capsys, *common, "--params", str(path), "--digits", "17")
    seeded = trace_output(capsys, *common, "--digits", "17")
    assert from_file.replace(f"the weights in {path}", "START") == seeded.replace(
        "the seeded initial weights (seed 5, init normal, as compare starts from)", "START")
    initial = json.loads(path.read_text())["initial_params"]
    for k, name in enumerate(("W1", "W2", "W3")):
        assert printed_matrix(from_file, name).tolist() == initial[k]


BAD_PARAMS = [
    ("missing", None, "cannot read"),
    ("not json", "{W1: 1}", "not a JSON file"),
    ("an object without initial_params", '{"params": []}', "initial_params"),
    ("a number", "3", "expected a list"),
    ("too few arrays", "[[[1, 2, 3, 4], [1, 2, 3, 4]], [0, 0, 0, 0]]", "holds 2 parameter arrays"),
    ("a wrong shape", json.dumps([np.zeros((2, 4)).tolist(), [0] * 4, np.zeros((4, 3)).tolist(), [0] * 3,
                                  np.zeros((3, 1)).tolist(), [0]]), "W2 has shape (4, 3)"),
    ("ragged rows", json.dumps([[[1, 2, 3, 4], [1, 2]], [0] * 4, np.zeros((4, 4)).tolist(), [0] * 4,
                                np.zeros((4, 1)).tolist(), [0]]), "not a rectangular array"),
    ("a string", json.dumps([np.zeros((2, 4)).tolist(), ["0", 0, 0, 0], np.zeros((4, 4)).tolist(), [0] * 4,
                             np.zeros((4, 1)).tolist(), [0]]), 'b1 holds "0"'),
    ("NaN", "[" + json.dumps(np.zeros((2, 4)).tolist()) + ", [NaN, 0, 0, 0], " + json.dumps(np.zeros((4, 4)).tolist())
     + ", [0, 0, 0, 0], [[0], [0], [0], [0]], [0]]", "not a finite number"),
    ("compare --json of another network", json.dumps({"config": {"hidden": [8], "bias": False},
                                                      "initial_params": [np.zeros((2, 8)).tolist(),
                                                                         np.zeros((8, 1)).tolist()]}),
     "holds 2 parameter arrays; the 2-4-4-1 network with bias has 6 (W1, b1, W2, b2, W3, b3); "
     "the file's run used --hidden 8 --no-bias"),
]


@pytest.mark.parametrize("text, named", [(t, n) for _, t, n in BAD_PARAMS], ids=[i for i, _, _ in BAD_PARAMS])
def test_a_bad_params_file_gets_one_line_and_exit_status_2(text, named, tmp_path, capsys):
    path = tmp_path / "params.json"
    if text is not None:
        path.write_text(text)
    assert main(["trace", "--params", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and named in err and "Traceback" not in err


BAD_INPUT = [
    (["--sample", "22"], "--sample"),
    (["--samples", "1", "30"], "--samples"),
    (["--samples", *map(str, range(1, 12))], "--samples"),
    (["--sample", "0"], "--sample"),
    (["--sample", "2", "--samples", "3"], "--samples"),
    (["--input", "0.1", "0.2"], "--target"),
    (["--target", "1"], "--target"),
    (["--input", "0.1", "0.2", "--target", "2"], "--target"),
    (["--input", "0.1", "nan", "--target", "1"], "--input"),
    (["--digits", "18"], "--digits"),
    (["--digits", "0"], "--digits"),
    (["--markdown", "{missing}/trace.md"], "trace.md"),
    (["--diagram", "{missing}/trace.png"], "trace.png"),
]


@pytest.mark.parametrize("args, named", BAD_INPUT, ids=[" ".join(a) for a, _ in BAD_INPUT])
def test_bad_input_gets_one_line_and_exit_status_2(args, named, tmp_path, capsys):
    args = [a.format(missing=tmp_path / "missing") for a in args]
    assert main(["trace", *args]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and named in err
    assert list(tmp_path.iterdir()) == []


# -- --after-epochs and --params --final: a step in mid-training -------------------------------

def printed_params(out, bias):
    """The weights the traced step starts from, as section 5 prints them (W1, b1, ... in order)."""
    names = [f"{letter}{l}" for l in (1, 2, 3) for letter in ("Wb" if bias else "W")]
    return [printed_matrix(out, name) for name in names]


#: (command line, the same run's Config, the traced rows, K)
MID_TRAINING = [
    (["--after-epochs", "300"], Config(), [0], 300),
    (["--after-epochs", "40", "--dataset", "linear", "--hidden", "3", "2", "--no-bias", "--activation", "tanh",
      "--loss", "bce", "--lr", "0.3", "--seed", "4", "--samples", "2", "9"],
     Config(dataset="linear", hidden=(3, 2), bias=False, activation="tanh", loss="bce", lr=0.3, seed=4), [1, 8], 40),
]


@pytest.mark.parametrize("args, config, rows, epochs", MID_TRAINING, ids=[" ".join(a) for a, _, _, _ in MID_TRAINING])
def test_after_epochs_traces_from_the_weights_scalar_net_train_reaches(args, config, rows, epochs, capsys):
    out = trace_output(capsys, *args, "--digits", "17")
    X, Y, initial = prepare(config)
    model = dict(activation=config.activation, loss=config.loss, leaky_slope=config.leaky_slope)
    # K epochs of full-batch gradient descent on the whole data set, at the trace's lr
    trained = scalar_net.train(initial, X, Y, lr=config.lr, epochs=epochs, **model).params
    for shown, want in zip(printed_params(out, config.bias), trained):
        assert np.array_equal(shown.reshape(want.shape), want)  # to the bit: 17 digits read back exactly
    same(printed_values(out), expected_values(trained, X[rows], Y[rows], config.lr, config.sizes, config.bias,
                                              **model))
    points = X.shape[0]
    assert (f"start: the weights after {epochs} epochs of full-batch sgd at lr {config.lr:g} on the {points} points "
            f"of {config.dataset}, from the seeded initial weights (seed {config.seed}, ") in " ".join(out.split())


def test_after_epochs_on_k_classes_traces_from_the_weights_scalar_net_train_reaches(capsys):
    out = trace_output(capsys, "--dataset", "spiral", "--classes", "3", "--hidden", "3", "--after-epochs", "5",
                       "--digits", "17")
    config = Config(dataset="spiral", classes=3, hidden=(3,), loss="cross-entropy")
    X, Y, initial = prepare(config)
    trained = scalar_net.train(initial, X, Y, lr=config.lr, epochs=5).params  # cross-entropy: the 3 outputs' own
    names = [f"{letter}{l}" for l in (1, 2) for letter in "Wb"]
    for name, want in zip(names, trained):
        assert np.array_equal(printed_matrix(out, name).reshape(want.shape), want), name
    assert "softmax" in out and "start: the weights after 5 epochs" in " ".join(out.split())


def test_after_epochs_is_where_compare_ends_and_params_final_starts_there(tmp_path, capsys):
    path = tmp_path / "run.json"
    assert main(["compare", "--epochs", "25", "--report-every", "25", "--json", str(path)]) == 0
    capsys.readouterr()
    from_file = trace_output(capsys, "--params", str(path), "--final", "--digits", "17")
    trained = trace_output(capsys, "--after-epochs", "25", "--digits", "17")
    final = json.loads(path.read_text())["trainers"]["scalar"]["params"]
    for shown, want in zip(printed_params(from_file, True), final):
        assert shown.ravel().tolist() == np.ravel(want).tolist()
    assert f"start: the final weights in {path} (scalar_net's after the 25 epochs of its run)" in " ".join(
        from_file.split())
    start = re.compile(r"^start: .*?(?=^batch: )", re.S | re.M)
    assert start.sub("", from_file) == start.sub("", trained)


def test_after_epochs_continues_from_params_and_takes_your_point(tmp_path, capsys):
    path = tmp_path / "mine.json"
    config = Config(hidden=(2,))
    X, Y, _ = prepare(config)
    mine = [np.array([[0.5, -0.5], [0.25, 1.0]]), np.array([0.1, -0.1]), np.array([[1.0], [-1.0]]), np.array([0.0])]
    path.write_text(json.dumps([p.tolist() for p in mine]))
    out = trace_output(capsys, "--hidden", "2", "--params", str(path), "--after-epochs", "7", "--input", "0.3", "0.6",
                       "--target", "1", "--digits", "17")
    trained = scalar_net.train(mine, X, Y, lr=1.0, epochs=7).params
    same(printed_values(out), expected_values(trained, np.array([[0.3, 0.6]]), np.array([[1.0]]), 1.0, (2, 2, 1),
                                              True))
    assert f"from the weights in {path}; scalar_net and matrix_net" in " ".join(out.split())


def test_a_diverging_after_epochs_says_at_which_epoch(capsys):
    status = main(["trace", "--dataset", "linear", "--activation", "relu", "--lr", "1e200", "--after-epochs", "500"])
    out, err = capsys.readouterr()
    assert status == 1 and out == "" and len(err.splitlines()) == 1
    assert "--after-epochs: scalar_net diverged at epoch 2 of 500" in err and "smaller --lr" in err


@pytest.mark.parametrize("what, named", [("weights", "W2 after 20 epochs"),
                                         ("losses", "the losses of the epochs before the step")])
def test_a_difference_of_one_bit_in_the_epochs_before_the_step_stops_the_trace(what, named, monkeypatch, capsys):
    from backprop_lab.commands.trace import training

    real, done = matrix_net.train, []

    def altered(*args, **kwargs):
        result = real(*args, **kwargs)
        if "state" in kwargs:  # a call of the 20 epochs (the traced step's own check passes no state)
            done.append(result.epochs_run)
            if what == "losses":
                result.loss = _one_bit_off(result.loss)
            elif sum(done) == 20:  # the last call: its weights are the ones the trace would start from
                result.params[2] = _one_bit_off(result.params[2])
        return result
    monkeypatch.setattr(training.matrix_net, "train", altered)
    assert main(["trace", "--after-epochs", "20"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and named in err and "matrix_net" in err


BAD_FINAL = [
    (["--final"], None, "argument --final: only with --params"),
    (["--params", "{path}", "--final"], "[[[1, 2, 3, 4], [1, 2, 3, 4]]]", "plain list of parameters"),
    (["--params", "{path}", "--final"], '{"initial_params": []}', "trainers.scalar.params"),
    (["--params", "{path}", "--final"], '{"trainers": {"scalar": {"loss": [1]}}}', "trainers.scalar.params"),
    (["--params", "{path}", "--final"], json.dumps({"config": {"hidden": [3], "bias": True},
                                                  "trainers": {"scalar": {"params": [[[0, 0, 0]] * 2, [0] * 3,
                                                                                     [[0]] * 3, [0]]}}}),
     "holds 4 parameter arrays; the 2-4-4-1 network with bias has 6 (W1, b1, W2, b2, W3, b3); "
     "the file's run used --hidden 3"),
    (["--after-epochs", "0"], None, "argument --after-epochs: must be at least 1"),
    (["--after-epochs", "ten"], None, "--after-epochs"),
    (["--after-epochs", "1000000000000"], None, "memory"),
]


@pytest.mark.parametrize("args, text, named", BAD_FINAL, ids=[" ".join(a) + (" " + t[:20] if t else "")
                                                              for a, t, _ in BAD_FINAL])
def test_bad_mid_training_input_gets_one_line_and_exit_status_2(args, text, named, tmp_path, capsys):
    path = tmp_path / "run.json"
    if text is not None:
        path.write_text(text)
    assert main(["trace", *[a.format(path=path) for a in args]]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and named in err and "Traceback" not in err


# -- the check against the trainers fails loudly -------------------------------------------------

def _one_bit_off(array):
    array = np.array(array, dtype=np.float64)
    array.flat[-1] = np.nextafter(array.flat[-1], np.inf)
    return array


@pytest.mark.parametrize("where", ["matrix_net.trace_step", "scalar_net.train"])
def test_a_difference_of_one_bit_between_the_trainers_stops_the_trace(where, monkeypatch, capsys):
    if where == "matrix_net.trace_step":
        real = matrix_net.trace_step

        def altered(*args, **kwargs):
            t = real(*args, **kwargs)
            t.Delta[1] = _one_bit_off(t.Delta[1])
            return t
        monkeypatch.setattr(trace_module.matrix_net, "trace_step", altered)
    else:
        real = scalar_net.train

        def altered(*args, **kwargs):
            result = real(*args, **kwargs)
            result.params[0] = _one_bit_off(result.params[0])
            return result
        monkeypatch.setattr(trace_module.scalar_net, "train", altered)
    assert main(["trace"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and where.split(".")[0] in err


# -- the files -----------------------------------------------------------------------------------

def test_markdown_is_written_whole_with_every_section_and_working_links(tmp_path, capsys):
    path = tmp_path / "trace.md"
    out = trace_output(capsys, "--samples", "1", "4", "--markdown", str(path))
    assert f"wrote {path}" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["trace.md"]
    text = path.read_text(encoding="utf-8")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert [h[3:5] for h in headings] == ["1.", "2.", "3.", "4.", "5."]
    assert text.count("$$") % 2 == 0 and text.endswith("\n")
    for target in re.findall(r"\]\(([^)#]+\.md)(?:#[^)]*)?\)", text):
        assert (tmp_path / target).resolve().is_file(), target
    assert r"z^{(2)}_{0}" in text and r"\delta^{(1)}_{3}" in text and r"\begin{bmatrix}" in text


def test_every_section_the_trace_links_is_a_heading_of_its_derivation_file():
    from backprop_lab.commands.trace import equations
    from derivations import DEFAULT_OUT

    links = [value for value in vars(equations).values()
             if isinstance(value, tuple) and len(value) == 2 and str(value[0]).endswith(".md")]
    links += [(equations.NO_BIAS, section) for name, section in links if name == equations.FORWARD[0]]
    assert len(links) > 8
    for name, section in links:
        text = (DEFAULT_OUT / name).read_text(encoding="utf-8")
        assert section is None or f"\n## {section}\n" in text or f"\n### {section}\n" in text, (name, section)


def test_the_diagram_draws_every_weight_labelled_with_colour_bars(capsys):
    from backprop_lab.figures.diagram import figure

    config = Config()
    X, Y, params = prepare(config)
    step = trace_module.run(config, X[:1], Y[:1], params, ["xor sample 1"])
    fig = figure(step)
    forward, backward = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    for ax, values in ((forward, params[0::2]), (backward, step.elementwise.grads[0::2])):
        assert len(ax.lines) == 2 * 4 + 4 * 4 + 4 * 1  # one edge per weight
        labels = [t.get_text() for t in ax.texts]
        for M in values:
            for value in M.ravel():
                assert f"{value:.3g}" in labels
        assert len(ax.collections) == 4  # one scatter of neurons per layer
    bars = [ax for ax in fig.axes if ax.get_label() == "<colorbar>"]
    assert [b.get_ylabel().split(" (")[0] for b in bars] == ["weight w", "gradient ∂L/∂w"]
    assert "δ = " in " ".join(t.get_text() for t in backward.texts)


def test_the_diagram_command_writes_a_png(tmp_path, capsys):
    path = tmp_path / "net.png"
    out = trace_output(capsys, "--hidden", "10", "10", "--diagram", str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and f"wrote {path}" in out
    assert [p.name for p in tmp_path.iterdir()] == ["net.png"]


# -- K >= 3 classes: the softmax, cross-entropy and its delta ---------------------------------------

HAND3_PARAMS = [[[0.15, -0.25], [0.2, 0.3]], [0.35, -0.1],  # W1, b1 of a 2-2-3 net
                [[0.4, -0.45, 0.1], [0.5, 0.05, -0.3]], [0.6, -0.2, 0.0]]  # W2, b2
HAND3_X, HAND3_Y = (0.05, 0.1), 2


def exact_softmax_step():
    """Every number of the 2-2-3 step at 50 significant digits, by the textbook formulas: softmax
    e^z_j / sum_k e^z_k (no max subtracted), -log y_hat_y, delta = y_hat - onehot(y) (m = 1, lr = 1)."""
    mpmath.mp.dps = 50
    mp = lambda v: mpmath.mpf(repr(v))  # noqa: E731
    W1, b1, W2, b2 = ([[mp(v) for v in row] for row in HAND3_PARAMS[0]], [mp(v) for v in HAND3_PARAMS[1]],
                      [[mp(v) for v in row] for row in HAND3_PARAMS[2]], [mp(v) for v in HAND3_PARAMS[3]])
    x, y = [mp(v) for v in HAND3_X], HAND3_Y
    z1 = [x[0] * W1[0][j] + x[1] * W1[1][j] + b1[j] for j in range(2)]
    a1 = [1 / (1 + mpmath.exp(-z)) for z in z1]
    z2 = [a1[0] * W2[0][j] + a1[1] * W2[1][j] + b2[j] for j in range(3)]
    top = max(z2)
    e = [mpmath.exp(z - top) for z in z2]
    y_hat = [mpmath.exp(z) / sum(mpmath.exp(v) for v in z2) for z in z2]
    ell = -mpmath.log(y_hat[y])
    d2 = [y_hat[j] - (1 if j == y else 0) for j in range(3)]
    d1 = [a1[i] * (1 - a1[i]) * sum(W2[i][j] * d2[j] for j in range(3)) for i in range(2)]
    values = [("z1[0]", z1[0]), ("a1[0]", a1[0]), ("z1[1]", z1[1]), ("a1[1]", a1[1])]
    values += [(f"z2[{j}]", z2[j]) for j in range(3)] + [("max", top)] + [(f"e[{j}]", e[j]) for j in range(3)]
    values += [("Σ_k e[k]", sum(e))] + [(f"ŷ[{j}]", y_hat[j]) for j in range(3)]
    values += [("ℓ", ell), ("L", ell)] + [(f"δ2[{j}]", d2[j]) for j in range(3)] + [("δ1[0]", d1[0]), ("δ1[1]", d1[1])]
    for name, theta, g in ([(f"W1[{i},{j}]", W1[i][j], x[i] * d1[j]) for i in range(2) for j in range(2)]
                           + [(f"b1[{j}]", b1[j], d1[j]) for j in range(2)]
                           + [(f"W2[{i},{j}]", W2[i][j], a1[i] * d2[j]) for i in range(2) for j in range(3)]
                           + [(f"b2[{j}]", b2[j], d2[j]) for j in range(3)]):
        values += [(f"∂L/∂{name}", g), (name, theta - g)]
    return values


def test_a_hand_sized_softmax_net_prints_the_exact_numbers_to_the_last_few_bits(tmp_path, capsys):
    path = tmp_path / "weights.json"
    path.write_text(json.dumps(HAND3_PARAMS))
    out = trace_output(capsys, "--dataset", "spiral", "--classes", "3", "--hidden", "2", "--params", str(path),
                       "--input", *map(str, HAND3_X), "--target", str(HAND3_Y), "--digits", "17")
    assert "2-2-3 network with bias, sigmoid hidden / softmax output (3 classes), cross-entropy loss" in " ".join(
        out.split())
    assert "ℓ = −log ŷ[2]" in out and "δ2[2] = (1/m)·(ŷ[2] − [2 = 2])" in out
    printed = printed_values(out)
    exact = exact_softmax_step()
    assert [name for name, _ in printed] == [name for name, _ in exact]
    for (name, value), (_, true) in zip(printed, exact):
        assert abs(value - float(true)) <= 1e-14 * max(abs(float(true)), 1e-2), (name, value, true)


def test_a_k_class_batch_prints_the_trainers_numbers_and_arithmetic_that_reproduces_them(capsys):
    out = trace_output(capsys, "--dataset", "spiral", "--classes", "3", "--hidden", "3", "--samples", "1", "40",
                       "--digits", "17")
    config = Config(dataset="spiral", classes=3, hidden=(3,), loss="cross-entropy")
    X, Y, params = prepare(config)
    rows = [0, 39]
    t = scalar_net.trace_step(params, X[rows], Y[rows], loss="cross-entropy")
    printed = printed_values(out)
    named = lambda prefix: [v for name, v in printed if name == prefix]  # noqa: E731
    y_hat = np.array(named("ŷ[0]") + named("ŷ[1]") + named("ŷ[2]")).reshape(3, 2).T
    assert np.array_equal(y_hat, t.A[2]) and np.allclose(y_hat.sum(axis=1), 1.0, rtol=0, atol=1e-15)
    assert np.array_equal(np.array(named("max")), t.Z[2].max(axis=1))
    e = np.array(named("e[0]") + named("e[1]") + named("e[2]")).reshape(3, 2).T
    assert np.allclose(e, np.exp(t.Z[2] - t.Z[2].max(axis=1, keepdims=True)), rtol=1e-15, atol=0)
    total = np.array(named("Σ_k e[k]"))
    assert np.array_equal(total, (e[:, 0] + e[:, 1]) + e[:, 2])  # in index order
    assert np.array_equal(e / total[:, None], y_hat)  # each printed quotient is the printed ŷ
    labels = Y[rows, 0].astype(int)
    assert np.allclose(named("ℓ(spiral sample 1)") + named("ℓ(spiral sample 40)"),
                       -np.log(y_hat[[0, 1], labels]), rtol=1e-14, atol=0)
    deltas = np.array(named("δ2[0]") + named("δ2[1]") + named("δ2[2]")).reshape(3, 2).T
    assert np.array_equal(deltas, t.Delta[2])
    assert np.allclose(deltas, (y_hat - np.eye(3)[labels]) / 2, rtol=1e-15, atol=1e-17)
    gW2 = [v for name, v in printed if name.startswith("∂L/∂W2")]
    assert np.array_equal(np.array(gW2).reshape(3, 3), t.grads[2])
    assert np.array_equal(printed_matrix(out, "A2"), t.A[2]) and np.array_equal(printed_matrix(out, "Δ2"), t.Delta[2])
    assert "Δ2 = (1/m)(A2 − onehot(Y))" in out and "A2 = softmax(Z2)" in out
    assert "derivations/generated/10_softmax.md (3. Cross-entropy through softmax: the" in out


def test_a_csv_of_three_features_and_three_classes_traces_with_three_inputs(tmp_path, capsys):
    path = tmp_path / "my3class.csv"
    path.write_text("a,b,c,label\n0.1,0.2,0.3,0\n0.9,0.1,0.2,1\n0.2,0.8,0.5,2\n")
    out = trace_output(capsys, "--data", str(path), "--hidden", "2", "--sample", "3")
    assert "one training step of the 3-2-3 network" in out
    assert "batch: my3class.csv sample 3 of 3: x0 = 0.2, x1 = 0.8, x2 = 0.5, y = 2 (m = 1)" in " ".join(out.split())
    assert printed_matrix(out, "A0").tolist() == [[0.2, 0.8, 0.5]]
    assert "ℓ = −log ŷ[2]" in out


def test_the_digits_elide_as_wide_layers_do(capsys):
    out = trace_output(capsys, "--dataset", "digits", "--hidden", "12")
    assert "one training step of the 64-12-10 network" in out
    assert "x2 = 0.3125, … (60 more) …, x63 = 0, y = 0" in out
    assert "(60 more terms)" in out and "neurons 3 to 8 (6 of them) elided" in out  # W1's 64 inputs, the 10 outputs
    assert max(len(line) for line in out.splitlines()) <= 100


def test_k_class_markdown_links_the_softmax_derivation_and_the_diagram_draws_k_outputs(tmp_path, capsys):
    from backprop_lab.figures.diagram import figure

    path = tmp_path / "trace.md"
    trace_output(capsys, "--dataset", "spiral", "--classes", "4", "--hidden", "3", "--markdown", str(path))
    text = path.read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#]+\.md)(?:#[^)]*)?\)", text)
    assert any(t.endswith("10_softmax.md") for t in targets)
    for target in targets:
        assert (tmp_path / target).resolve().is_file(), target
    assert r"\hat y_{3} &= e_{3} / \sum_k e_{k}" in text and r"\operatorname{log1p}" in text
    config = Config(dataset="spiral", classes=4, hidden=(3,), loss="cross-entropy")
    X, Y, params = prepare(config)
    fig = figure(trace_module.run(config, X[:1], Y[:1], params, ["spiral sample 1"]))
    forward = fig.axes[0]
    assert [len(c.get_offsets()) for c in forward.collections[-3:]] == [2, 3, 4]  # the output layer: K neurons
    labels = " ".join(t.get_text() for t in forward.texts)
    assert all(f"ŷ[{j}] = " in labels for j in range(4))


K_CLASS_BAD_INPUT = [
    (["--dataset", "spiral", "--classes", "3", "--input", "0.1", "0.2", "--target", "1.5"], "--target"),
    (["--dataset", "spiral", "--classes", "3", "--input", "0.1", "0.2", "--target", "3"], "--target"),
    (["--dataset", "spiral", "--classes", "3", "--input", "0.1", "--target", "1"], "--input"),
    (["--dataset", "xor", "--classes", "3"], "--classes"),
    (["--dataset", "spiral", "--classes", "3", "--loss", "bce"], "--loss"),
    (["--loss", "cross-entropy"], "--loss"),
    (["--data", "{csv}", "--classes", "3"], "--classes"),
    (["--data", "{missing}/points.csv"], "--data"),
]


@pytest.mark.parametrize("args, named", K_CLASS_BAD_INPUT, ids=[" ".join(a) for a, _ in K_CLASS_BAD_INPUT])
def test_k_class_input_that_does_not_fit_gets_one_line_and_exit_status_2(args, named, tmp_path, capsys):
    csv = tmp_path / "points.csv"
    csv.write_text("0.1,0.2,0\n0.3,0.4,1\n0.5,0.6,2\n")
    args = [a.format(missing=tmp_path / "missing", csv=csv) for a in args]
    assert main(["trace", *args]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and named in err and "Traceback" not in err
