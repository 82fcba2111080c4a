"""The derivations (derivations/, derivations/generated/): up to date, proved, and equal to the trainers.

1. The committed Markdown is exactly what the scripts generate today.
2. Every proof holds: each difference of two sides expands or simplifies to exactly 0.  The
   tests follow the files: sigmoid, element-wise, matrix form, no activation, activations, losses.
3. The gradients sympy derives, turned into numbers by lambdify (a third implementation, written
   by no one), equal both trainers' batch gradients to 1e-12, for every activation and loss.
"""

import difflib
import re
import shlex
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

import cheap_derivations
import matrix_net
import scalar_net
import test_docs
from backprop_lab import options
from backprop_lab.network import LAB_SIZES, init_params
from derivations import (DEFAULT_OUT, activations, chain_rule, elementwise, generate, linear_net, losses,
                         matrix_form, momentum, numeric, sigmoid, softmax, symbolic_net, weight_decay)

# One xdist worker runs them all: they share the derivations that sympy computes once in a process.
pytestmark = pytest.mark.xdist_group("derivations")
ROOT = Path(__file__).resolve().parent.parent

# --- 1. the committed files are up to date --------------------------------------------------------


def _recorded_sympy_version(text):
    match = re.search(r"with sympy (\S+)\. Do not edit", text)
    return match.group(1) if match else "unknown"


@pytest.mark.early  # long: started right after the long runs (tests/conftest.py)
def test_committed_files_are_what_the_scripts_generate(tmp_path, capsys):
    fresh = generate(tmp_path)
    committed_names = sorted(path.name for path in DEFAULT_OUT.glob("*.md"))
    assert committed_names == sorted(path.name for path in fresh), "files added or removed: rerun python -m derivations"
    for path in fresh:
        committed = (DEFAULT_OUT / path.name).read_bytes()
        if path.read_bytes() == committed:
            continue
        recorded = _recorded_sympy_version(committed.decode("utf-8"))
        reason = (f"the files were generated with sympy {recorded}, this is sympy {sp.__version__}; "
                  "its printer may write the same expressions differently" if recorded != sp.__version__
                  else "the scripts changed since the files were generated")
        diff = difflib.unified_diff(committed.decode("utf-8").splitlines(), path.read_text("utf-8").splitlines(),
                                    "committed", "generated", lineterm="", n=1)
        pytest.fail(f"{path.name} is out of date ({reason}). Regenerate with `python -m derivations` and "
                    f"review the diff:\n" + "\n".join(list(diff)[:40]))
    # and `derive --check` says so, as docs/derivations.md shows: its block runs here, not in
    # tests/test_docs.py, because sympy's answers are now cached in this process (derive
    # generates again in a second, where a fresh process takes a quarter of a minute).
    (body,) = test_docs.blocks_run_by(ROOT / "docs/derivations.md", "tests/test_derivations.py")
    ((command, shown),) = test_docs.console_steps(body)
    from backprop_lab.commands.cli import main

    assert command.startswith("backprop-lab ") and main(shlex.split(command)[1:]) == 0
    printed = capsys.readouterr()
    assert test_docs.output_matches(shown, printed.out + printed.err), (
        f"docs/derivations.md: `{command}` no longer prints what the page shows:\n{printed.out}{printed.err}")


@pytest.fixture
def quick_documents(monkeypatch):
    """The documents replaced by three cheap ones, so that derive --check runs in milliseconds."""
    return cheap_derivations.install(monkeypatch.setattr)


def test_derive_check_says_in_one_line_that_the_files_are_current_or_names_those_that_are_not(
        tmp_path, capsys, quick_documents):
    from backprop_lab.commands.cli import main

    out = tmp_path / "generated"
    assert main(["derive", "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["derive", "--check", "--out", str(out)]) == 0
    assert capsys.readouterr() == (f"{out}: all 4 files are current (what the scripts generate today)\n", "")
    (out / "02_topic.md").write_text("# edited by hand\n")
    (out / "README.md").unlink()
    assert main(["derive", "--check", "--out", str(out)]) == 1
    printed, errors = capsys.readouterr()
    assert printed == "" and errors.splitlines() == [f"out of date: {out / '02_topic.md'}",
                                                     f"out of date: {out / 'README.md'}"]


def _blocks(text):
    """The file's blocks as GitHub reads them: (kind, lines, inside <details>), kind "math" for a
    $$ display, "table", "html" or "text"."""
    found, details, lines = [], False, text.splitlines()
    k = 0
    while k < len(lines):
        line = lines[k]
        if line == "$$":
            end = lines.index("$$", k + 1)
            found.append(("math", lines[k + 1:end], details))
            k = end + 1
            continue
        if line.startswith("<details>") or line == "</details>":
            details = line.startswith("<details>")
            found.append(("html", [line], details))
        elif line.startswith("|"):
            found.append(("table", [line], details))
        elif line:
            found.append(("text", [line], details))
        k += 1
    return found


@pytest.mark.parametrize("name", sorted(path.name for path in DEFAULT_OUT.glob("*.md")))
def test_the_generated_markdown_renders(name):
    """GitHub-flavoured Markdown with $...$ math: every $ closes on its line, every $$ display
    closes, every table row has its header's columns, every <details> closes (with the blank line
    after its summary that keeps the Markdown inside it rendered)."""
    text = (DEFAULT_OUT / name).read_text(encoding="utf-8")
    opened = re.findall(r"\n\n<details>\n<summary>[^<\n]+</summary>\n\n", text)
    closed = re.findall(r"\n\n</details>\n", text)
    assert text.count("<details>") == len(opened) == len(closed) == text.count("</details>")
    columns = None
    for kind, lines, _ in _blocks(text):
        if kind == "math":
            assert lines and not any("$" in line for line in lines), lines[:1]
        for line in lines if kind in ("text", "table") else []:
            assert len(re.findall(r"(?<!\\)\$", line)) % 2 == 0, line[:120]
        if kind == "table":
            cells = lines[0].count("|")
            columns = cells if columns is None else columns
            assert cells == columns, lines[0][:120]
        else:
            columns = None


@pytest.mark.parametrize("name", ["02_elementwise_2-4-4-1.md", "03_elementwise_no_bias.md"])
def test_the_elementwise_files_fold_sympys_long_answers(name):
    """The finished brute-force gradients and the 37 (28) proofs are folded; in the body no row of
    a formula runs past 450 characters of LaTeX (seven fractions in a row; the first layer's
    brute-force gradients ran to 580), and in the folded part a long sum is one term per row."""
    blocks = _blocks((DEFAULT_OUT / name).read_text(encoding="utf-8"))
    for kind, lines, folded in blocks:
        if kind == "math":
            assert max(len(line) for line in lines) <= (300 if folded else 450), lines[0][:80]
    body = [line for _, lines, folded in blocks for line in lines if not folded]
    folded = [line for _, lines, inside in blocks for line in lines if inside]
    first_layer = r"\frac{\partial \ell}{\partial w^{(1)}_{00}} &= 2"  # its brute-force gradient
    assert not any(line.startswith(first_layer) for line in body)
    assert any(line.startswith(first_layer) for line in folded)
    assert not any(line.endswith("| proved |") for line in body)
    assert sum(line.endswith("| proved |") for line in folded) == (37 if "bias" not in name else 28)


# --- 2. the proofs --------------------------------------------------------------------------------

# 01_sigmoid.md

def test_sigmoid_derivative_is_sigma_times_one_minus_sigma():
    s = sigmoid.exp_form(sigmoid.z)
    assert sp.simplify(sp.diff(s, sigmoid.z) - s * (1 - s)) == 0
    assert sigmoid.derivative_lemma().proved  # the claim the file prints


@pytest.mark.parametrize("fact", [sigmoid.complement_identity, sigmoid.negative_branch_identity,
                                  sigmoid.symmetry_identity, sigmoid.value_at_zero, sigmoid.opaque_chain_rule])
def test_sigmoid_facts(fact):
    assert fact().proved


def test_sigmoid_is_increasing():
    assert sigmoid.derivative_is_positive()


# 02_elementwise_2-4-4-1.md and 03_elementwise_no_bias.md, and the same with cross-entropy

ELEMENTWISE_CASES = [(bias, loss, p.label) for bias in (True, False) for loss in options.LOSSES
                     for p in symbolic_net.parameters(LAB_SIZES, bias)]


def test_the_networks_have_37_and_28_parameters():
    assert len(symbolic_net.parameters(LAB_SIZES, bias=True)) == 37
    assert len(symbolic_net.parameters(LAB_SIZES, bias=False)) == 28


@pytest.mark.parametrize("bias, loss, parameter", ELEMENTWISE_CASES)
def test_backprop_gradient_equals_brute_force(bias, loss, parameter):
    derivation = elementwise.derive(LAB_SIZES, bias, "sigmoid", loss)
    brute_force = derivation.brute_force[parameter]  # sympy: d loss / d parameter, chain rule only
    activation_below, delta_above = derivation.backprop[parameter]  # backprop: a_i * delta_j
    assert sp.expand(brute_force - activation_below * delta_above) == 0


def test_output_delta_is_dl_dz_of_the_output():
    # the bias of the output neuron enters z with coefficient 1: dl/db = dl/dz = delta
    derivation = elementwise.derive(LAB_SIZES, True)
    L = derivation.net.output_layer
    assert sp.expand(sp.diff(derivation.net.loss, derivation.net.biases[L][0]) - derivation.delta[L][0]) == 0


def _worked_by_hand(net):
    """Sections 3 and 4 of 02/03, written here by hand: the local derivatives of the forward pass,
    the chain rule for W3[0, 0], W2[0, 0] and W1[0, 0], and the deltas that collect its factors."""
    x, y = net.x, net.y
    a1, a2, y_hat = net.a_symbols[1], net.a_symbols[2], net.a_symbols[3][0]
    W2, W3 = net.weights[2], net.weights[3]
    k4 = range(4)  # the neurons k of layer 2
    dl_dyhat = 2 * (y_hat - y)                          # l = (y_hat - y)^2
    dyhat_dz3 = y_hat * (1 - y_hat)                     # y_hat = sigma(z3_0)
    dz3_da2 = [W3[k][0] for k in k4]                    # z3_0 = ... + a2_k w3_k0 + ...
    da2_dz2 = [a2[k] * (1 - a2[k]) for k in k4]         # a2_k = sigma(z2_k)
    dz2_da1 = [W2[0][k] for k in k4]                    # z2_k = a1_0 w2_0k + ...
    da1_dz1 = a1[0] * (1 - a1[0])                       # a1_0 = sigma(z1_0)
    chains = {
        "W3[0, 0]": dl_dyhat * dyhat_dz3 * a2[0],       # dz3_0/dW3[0,0] = a2_0
        "W2[0, 0]": dl_dyhat * dyhat_dz3 * dz3_da2[0] * da2_dz2[0] * a1[0],
        "W1[0, 0]": sum(dl_dyhat * dyhat_dz3 * dz3_da2[k] * da2_dz2[k] * dz2_da1[k] * da1_dz1 * x[0] for k in k4),
    }
    delta3 = dl_dyhat * dyhat_dz3
    delta2 = [delta3 * dz3_da2[k] * da2_dz2[k] for k in k4]
    delta1_0 = sum(delta2[k] * dz2_da1[k] for k in k4) * da1_dz1
    return chains, {(3, 0): delta3, **{(2, k): delta2[k] for k in k4}, (1, 0): delta1_0}


@pytest.mark.parametrize("bias", [True, False], ids=["with-bias", "no-bias"])
def test_the_chain_rule_for_one_weight_of_each_layer_is_sympys_derivative(bias):
    derivation = elementwise.derive(LAB_SIZES, bias)
    net = derivation.net
    chains, _ = _worked_by_hand(net)
    for label, chain in chains.items():  # the product of the local derivatives, summed over the paths
        assert sp.expand(chain_rule.full(net, chain) - derivation.brute_force[label]) == 0, label
    rule = chain_rule.chain_rule(derivation)  # what the file prints: the same chains, factor by factor
    assert [w.parameter.label for w in rule.weights] == list(chains)
    for w in rule.weights:
        assert sp.expand(w.chain - chains[w.parameter.label]) == 0 and w.claim.proved, w.parameter.label
        assert len(w.paths) == (4 if w.parameter.layer == 1 else 1)


@pytest.mark.parametrize("bias", [True, False], ids=["with-bias", "no-bias"])
def test_the_repeated_factors_are_the_deltas_of_the_recurrence(bias):
    derivation = elementwise.derive(LAB_SIZES, bias)
    net = derivation.net
    chains, deltas = _worked_by_hand(net)
    a1, a2, x = net.a_symbols[1], net.a_symbols[2], net.x
    # each worked gradient is its last factor times a delta ...
    for label, below, delta in (("W3[0, 0]", a2[0], deltas[3, 0]), ("W2[0, 0]", a1[0], deltas[2, 0]),
                                ("W1[0, 0]", x[0], deltas[1, 0])):
        assert sp.expand(chains[label] - below * delta) == 0, label
    # ... and each delta is the recurrence's, dl/dz of its neuron
    for (l, j), delta in deltas.items():
        assert sp.expand(chain_rule.full(net, delta) - derivation.delta[l][j]) == 0, (l, j)
    rule = chain_rule.chain_rule(derivation)  # what the file prints
    assert [(d.layer, d.neuron) for d in rule.deltas] == list(deltas)
    assert all(d.claim.proved for d in rule.deltas) and all(claim.proved for _, _, claim in rule.grouped)


# 04_matrix_form.md

MATRIX_PARAMETERS = [p.label for p in symbolic_net.parameters(LAB_SIZES, True)]


def _parameter(label):
    return next(p for p in symbolic_net.parameters(LAB_SIZES, True) if p.label == label)


#: The losses of the matrix form's proofs: the file's MSE, and half-MSE (whose delta differs in its constant).
MATRIX_LOSSES = ["mse", "half-mse"]


@pytest.mark.parametrize("loss", MATRIX_LOSSES)
@pytest.mark.parametrize("parameter", MATRIX_PARAMETERS)
def test_matrix_gradient_is_mean_of_elementwise_gradients(parameter, loss):
    batch = matrix_form.derive(loss=loss)  # m = 2 samples, explicit matrices of symbols
    p = _parameter(parameter)
    per_sample = [elementwise.derive(LAB_SIZES, True, "sigmoid", loss, s).backprop[parameter] for s in range(batch.m)]
    mean = sum(below * above for below, above in per_sample) / batch.m
    assert sp.expand(batch.entry(p) - mean) == 0  # (A^T Delta)_ij = (1/m) sum_s a_i[s] delta_j[s]


@pytest.mark.parametrize("loss", MATRIX_LOSSES)
@pytest.mark.parametrize("parameter", MATRIX_PARAMETERS)
def test_matrix_gradient_is_brute_force_of_batch_loss(parameter, loss):
    batch = matrix_form.derive(loss=loss)
    p = _parameter(parameter)
    assert sp.expand(batch.entry(p) - sp.diff(batch.loss, p.symbol)) == 0


@pytest.mark.parametrize("parameter", MATRIX_PARAMETERS)
def test_column_vector_gradient_is_the_transpose(parameter):
    batch = matrix_form.derive()
    p = _parameter(parameter)
    assert sp.expand(batch.column_entry(p) - batch.entry(p)) == 0  # (Delta' A'^T)_ji = (A^T Delta)_ij


def test_column_vector_forward_pass_is_the_transpose():
    assert all(claim.proved for claim in matrix_form.forward_transposes(matrix_form.derive()))


# 05_no_activation.md

def test_identity_network_collapses_to_one_affine_map():
    assert linear_net.collapse_claim().proved  # z_out = x W1 W2 W3 + (b1 W2 W3 + b2 W3 + b3)


@pytest.mark.parametrize("parameter", MATRIX_PARAMETERS)
def test_identity_network_closed_form_gradient(parameter):
    assert linear_net.gradient_claims()[parameter].proved


def test_affine_functions_cannot_separate_xor():
    assert linear_net.xor_identity().proved  # f(0,1) + f(1,0) = f(0,0) + f(1,1)
    corners, _ = linear_net.lab_xor_corners()
    assert [(corner, given) for corner, given, _ in corners] == [(c, label) for c, label in linear_net.XOR_CORNERS]


def test_one_sigmoid_hidden_layer_separates_xor():
    for _, label, y_hat in linear_net.witness_outputs():
        assert (y_hat > 0.5) == bool(label)


# 06_activations.md, 07_losses.md, 08_weight_decay.md, 09_momentum.md and 10_softmax.md

LEMMAS = {**activations.LEMMAS, **losses.LEMMAS, **weight_decay.LEMMAS, **momentum.LEMMAS, **softmax.LEMMAS}


@pytest.mark.parametrize("lemma", list(LEMMAS))
def test_lemma(lemma):
    claim = LEMMAS[lemma]()
    assert claim.proved, f"{lemma}: residual {claim.residual}"


def test_every_activation_of_the_trainers_has_its_lemmas():
    for name in options.ACTIVATIONS:
        assert any(lemma.startswith(f"{name}:") for lemma in activations.LEMMAS if "network" not in lemma), name


# 10_softmax.md: the 2-3-3 network with K = 3 softmax outputs

SOFTMAX_PARAMETERS = softmax.parameters()


def test_the_softmax_network_has_21_parameters_in_the_codes_order():
    assert [q.label for q in SOFTMAX_PARAMETERS[:3]] == ["W1[0, 0]", "W1[0, 1]", "W1[0, 2]"]
    assert len(SOFTMAX_PARAMETERS) == (2 * 3 + 3) + (3 * 3 + 3) == 21


def test_the_opaque_softmax_differentiates_as_the_exp_form():
    """The rule sympy is given for softmax_out (its Jacobian) is the derivative of the exp form."""
    for k in range(softmax.K):
        for i in range(softmax.K):
            opaque = sp.diff(softmax.opaque_softmax(softmax.z)[k], softmax.z[i])
            written = opaque.replace(lambda e: isinstance(e, softmax.softmax_out),
                                     lambda e: softmax.softmax(list(e.args[1:]))[e.args[0]])
            assert sp.simplify(written - sp.diff(softmax.softmax(softmax.z)[k], softmax.z[i])) == 0, (k, i)


@pytest.mark.parametrize("parameter", SOFTMAX_PARAMETERS, ids=[q.label for q in SOFTMAX_PARAMETERS])
def test_softmax_network_backprop_equals_brute_force_element_wise_and_as_matrices(parameter):
    sample = softmax.derive_sample()
    rule = softmax.one_hot_sum(sample.t)  # t_2 = 1 - t_0 - t_1: any one-hot label
    brute_force = sp.diff(sample.loss, parameter.symbol).xreplace(rule)
    assert sp.expand(brute_force - sample.backprop(parameter).xreplace(rule)) == 0  # a_i delta_j
    batch = softmax.derive_batch()  # m = 2: (A^T Delta)_ij = (1/m) sum_s a_i[s] delta_j[s] = dL/dtheta
    mean = sum(softmax.derive_sample(s).backprop(parameter) for s in range(softmax.BATCH)) / softmax.BATCH
    entry = batch.entry(parameter).xreplace(batch.rule)
    assert sp.expand(entry - mean.xreplace(batch.rule)) == 0
    assert sp.expand(entry - sp.diff(batch.loss, parameter.symbol).xreplace(batch.rule)) == 0


def test_the_softmax_proofs_fail_without_the_one_hot_sum():
    """The fact sum_k t_k = 1 is needed: without it the output delta is not y_hat - t."""
    sample = softmax.derive_sample()
    bias = next(q for q in SOFTMAX_PARAMETERS if q.label == "b2[0]")
    assert sp.expand(sp.diff(sample.loss, bias.symbol) - sample.backprop(bias)) != 0


# --- 3. sympy's gradients as numbers, against both trainers ---------------------------------------

TRAINERS = {
    "scalar_net": scalar_net.batch_gradient,
    "matrix_net": lambda *args, **kwargs: matrix_net.batch_gradient(*args, exact=False, **kwargs),
}
NUMERIC_CASES = [(bias, activation, loss, trainer) for bias in (True, False) for activation in options.ACTIVATIONS
                 for loss in options.LOSSES for trainer in TRAINERS]


def _random_problem(bias, seed, m=5):
    """Random parameters (biases too: init_params starts them at 0) and m random samples."""
    rng = np.random.default_rng(seed)
    params = init_params(LAB_SIZES, bias=bias, seed=seed)
    params = [p + rng.standard_normal(p.shape) if p.ndim == 1 else p for p in params]
    X = rng.standard_normal((m, 2))
    Y = rng.integers(0, 2, size=(m, 1)).astype(np.float64)
    return params, X, Y


@pytest.mark.parametrize("bias, activation, loss, trainer", NUMERIC_CASES)
def test_sympy_gradient_equals_trainer(bias, activation, loss, trainer):
    params, X, Y = _random_problem(bias, seed=NUMERIC_CASES.index((bias, activation, loss, trainer)) // 2)
    options_ = dict(activation=activation, loss=loss, leaky_slope=0.2)
    sympy_loss, sympy_grads = numeric.batch_gradient(params, X, Y, **options_)
    trainer_loss, trainer_grads = TRAINERS[trainer](params, X, Y, **options_)
    assert trainer_loss == pytest.approx(sympy_loss, rel=1e-12, abs=1e-12)
    assert len(trainer_grads) == len(sympy_grads)
    for name, expected, actual in zip(["W1", "b1", "W2", "b2", "W3", "b3"] if bias else ["W1", "W2", "W3"],
                                      sympy_grads, trainer_grads):
        assert actual.shape == expected.shape, name
        np.testing.assert_allclose(actual, expected, rtol=1e-12, atol=1e-12, err_msg=name)


# 08_weight_decay.md


@pytest.mark.parametrize("bias", [True, False], ids=["with-bias", "no-bias"])
def test_weight_decay_adds_lambda_w_to_every_weights_gradient_and_nothing_to_the_biases(bias):
    claims = weight_decay.gradient_claims(bias)
    assert len(claims) == (37 if bias else 28)
    assert sum(weight_decay.is_weight(p) for p, _ in claims) == 28
    for parameter, claim in claims:
        assert claim.proved, f"{parameter.label}: residual {claim.residual}"


def test_weight_decay_gradient_equals_the_trainers_one_step_difference():
    """Numbers: one SGD step with decay minus one without is -lr * lambda * w on weights, 0 on biases."""
    params = init_params(LAB_SIZES, seed=4)
    X, Y = np.array([[0.2, 0.7], [0.9, 0.1]]), np.array([[1.0], [0.0]])
    for trainer in (scalar_net, matrix_net):
        plain = trainer.train(params, X, Y, lr=0.5, epochs=1).params
        decayed = trainer.train(params, X, Y, lr=0.5, epochs=1, weight_decay=0.2).params
        for start, a, b in zip(params, plain, decayed):
            expected = -0.5 * (0.2 * start) if start.ndim == 2 else np.zeros_like(start)
            np.testing.assert_allclose(b - a, expected, rtol=0, atol=1e-15)
