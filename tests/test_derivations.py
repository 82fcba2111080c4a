"""The derivations (derivations/, derivations/generated/): up to date, proved, and equal to the trainers.

1. The committed Markdown is exactly what the scripts generate today.
2. Every proof holds: each difference of two sides expands or simplifies to exactly 0.  The
   tests follow the files: sigmoid, element-wise, matrix form, no activation, activations, losses.
3. The gradients sympy derives, turned into numbers by lambdify (a third implementation, written
   by no one), equal both trainers' batch gradients to 1e-12, for every activation and loss.
"""

import difflib
import re

import numpy as np
import pytest
import sympy as sp

import matrix_net
import scalar_net
from backprop_lab import options
from backprop_lab.network import LAB_SIZES, init_params
from derivations import (DEFAULT_OUT, activations, elementwise, generate, linear_net, losses, matrix_form,
                         numeric, sigmoid, symbolic_net, weight_decay)

# One xdist worker runs them all: they share the derivations that sympy computes once in a process.
pytestmark = pytest.mark.xdist_group("derivations")

# --- 1. the committed files are up to date --------------------------------------------------------


def _recorded_sympy_version(text):
    match = re.search(r"with sympy (\S+)\. Do not edit", text)
    return match.group(1) if match else "unknown"


def test_committed_files_are_what_the_scripts_generate(tmp_path):
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


# 04_matrix_form.md

MATRIX_PARAMETERS = [p.label for p in symbolic_net.parameters(LAB_SIZES, True)]


def _parameter(label):
    return next(p for p in symbolic_net.parameters(LAB_SIZES, True) if p.label == label)


@pytest.mark.parametrize("parameter", MATRIX_PARAMETERS)
def test_matrix_gradient_is_mean_of_elementwise_gradients(parameter):
    batch = matrix_form.derive()  # m = 2 samples, explicit matrices of symbols
    p = _parameter(parameter)
    per_sample = [elementwise.derive(LAB_SIZES, True, "sigmoid", "mse", s).backprop[parameter] for s in range(batch.m)]
    mean = sum(below * above for below, above in per_sample) / batch.m
    assert sp.expand(batch.entry(p) - mean) == 0  # (A^T Delta)_ij = (1/m) sum_s a_i[s] delta_j[s]


@pytest.mark.parametrize("parameter", MATRIX_PARAMETERS)
def test_matrix_gradient_is_brute_force_of_batch_loss(parameter):
    batch = matrix_form.derive()
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


# 06_activations.md and 07_losses.md

LEMMAS = {**activations.LEMMAS, **losses.LEMMAS, **weight_decay.LEMMAS}


@pytest.mark.parametrize("lemma", list(LEMMAS))
def test_lemma(lemma):
    claim = LEMMAS[lemma]()
    assert claim.proved, f"{lemma}: residual {claim.residual}"


def test_every_activation_of_the_trainers_has_its_lemmas():
    for name in options.ACTIVATIONS:
        assert any(lemma.startswith(f"{name}:") for lemma in activations.LEMMAS if "network" not in lemma), name


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
