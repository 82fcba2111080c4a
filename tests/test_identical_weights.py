"""The element-wise and the matrix trainer are the same algorithm on the same numbers.

In exact mode the matrix trainer sums every product in the element-wise order, so the two must
agree to the last bit after any number of steps.  With BLAS the sums are reordered and fused, so
they agree to about 1e-14 while training is stable.
"""

import numpy as np
import pytest

import matrix_net
import scalar_net
from backprop_lab.config import Config, prepare
from cases import CLASS_MODELS, COMBINATIONS, MODELS, Case, ids, random_inputs

pytestmark = pytest.mark.exactness


def identical(params_a, params_b):
    return all(np.array_equal(a, b) for a, b in zip(params_a, params_b))


#: (data set, batch size, learning rate, epochs), the slowest first (tests/conftest.py starts
#: them first, in this order).  The learning rates put each run through unstable phases (the
#: loss rises again, by more than 10%, tens to thousands of times) before it settles, the setting
#: in which a difference in the last bit has the most chance to grow.  XOR with full batches runs
#: the README's 100,000 epochs.  The per-sample runs stop a while after the loss last rose, as
#: their full-length runs showed (XOR at epoch 3270 of 100,000, linear at 1160 of 10,000): after
#: it the loss only falls, and the remaining 95,000 and 8,000 epochs were more of the same
#: settled steps, at about three minutes of one core.  The test checks that each run ends settled.
LONG_RUNS = [
    ("linear", 1, 5.0, 2_000),
    ("xor", None, 5.0, 100_000),
    ("xor", 1, 5.0, 5_000),
    ("linear", None, 10.0, 10_000),
]


def run_id(run):
    dataset, batch_size, lr, epochs = run
    return f"{dataset}-{'full' if batch_size is None else 'per-sample'}-lr{lr:g}-{epochs}epochs"


def train(trainer, run, **extra):
    dataset, batch_size, lr, epochs = run
    X, Y, params = prepare(Config(dataset=dataset, seed=1))
    return trainer.train(params, X, Y, lr=lr, epochs=epochs, batch_size=batch_size, **extra)


@pytest.mark.parametrize("run", LONG_RUNS, ids=[run_id(r) for r in LONG_RUNS])
@pytest.mark.long_runs
def test_exact_mode_gives_bitwise_identical_weights_after_long_runs(run):
    scalar = train(scalar_net, run)
    assert scalar.diverged_at is None
    rose = np.flatnonzero(scalar.loss[1:] > 1.1 * scalar.loss[:-1])
    assert rose.size >= 10  # it did pass through unstable phases
    assert rose[-1] < 0.8 * len(scalar.loss)  # and settled: the last fifth of the run has none
    matrix = train(matrix_net, run, exact=True)
    assert identical(scalar.params, matrix.params)
    np.testing.assert_array_equal(scalar.loss, matrix.loss)


def steps_per_epoch(case):
    return 1 if case.batch_size is None else -(-21 // case.batch_size)


@pytest.mark.parametrize("case", COMBINATIONS, ids=ids(COMBINATIONS))
def test_every_option_combination_gives_bitwise_identical_weights_in_exact_mode(case):
    X, Y = case.data()
    # About 1000 optimizer steps each: a step that differs in one operation differs in its first
    # update; the long runs above carry the default combinations 5,000 to 100,000 epochs on.
    epochs = 1000 // steps_per_epoch(case)
    scalar = scalar_net.train(case.params(), X, Y, epochs=epochs, **case.training())
    matrix = matrix_net.train(case.params(), X, Y, epochs=epochs, exact=True, **case.training())
    assert scalar.diverged_at is None and matrix.diverged_at is None
    assert identical(scalar.params, matrix.params)
    np.testing.assert_array_equal(scalar.loss, matrix.loss)
    np.testing.assert_array_equal(scalar.accuracy, matrix.accuracy)
    assert scalar.gradient_norms.shape == (scalar.epochs_run, len(case.sizes) - 1)
    np.testing.assert_array_equal(scalar.gradient_norms, matrix.gradient_norms)


@pytest.mark.parametrize("case", MODELS + CLASS_MODELS, ids=ids(MODELS + CLASS_MODELS))
def test_every_layers_activations_and_the_prediction_are_bitwise_identical_in_exact_mode(case):
    params, X, _ = random_inputs(case, 9, seed=5)
    options = dict(activation=case.activation)
    scalar, matrix = scalar_net.all_activations(params, X, **options), matrix_net.all_activations(
        params, X, exact=True, **options)
    assert len(scalar) == len(matrix) == len(case.sizes) and identical(scalar, matrix)
    np.testing.assert_array_equal(scalar_net.predict(params, X, **options), scalar[-1])
    np.testing.assert_array_equal(matrix_net.predict(params, X, exact=True, **options), scalar[-1])


STOPPING = [case for case in COMBINATIONS if case.stop_at_accuracy is not None]


@pytest.mark.parametrize("case", STOPPING, ids=ids(STOPPING))
def test_early_stop_stops_both_trainers_after_the_first_epoch_that_reaches_the_accuracy(case):
    X, Y = case.data()
    epochs = 3000 // steps_per_epoch(case)
    scalar = scalar_net.train(case.params(), X, Y, epochs=epochs, **case.training())
    matrix = matrix_net.train(case.params(), X, Y, epochs=epochs, exact=True, **case.training())
    assert scalar.epochs_run == matrix.epochs_run < epochs
    assert scalar.accuracy[-1] >= case.stop_at_accuracy > scalar.accuracy[:-1].max()
    # and it is the same run as one without the stop, cut at that epoch
    full = scalar_net.train(case.params(), X, Y, epochs=scalar.epochs_run,
                            **{**case.training(), "stop_at_accuracy": None})
    assert identical(full.params, scalar.params)


def test_one_sgd_step_with_weight_decay_moves_each_weight_by_minus_lr_lambda_w_more_and_no_bias():
    case = Case(lr=0.5)
    X, Y = case.data()
    params = case.params()
    plain = scalar_net.train(params, X, Y, epochs=1, **case.training())
    decayed = scalar_net.train(params, X, Y, epochs=1, **{**case.training(), "weight_decay": 0.1})
    for start, p_plain, p_decayed in zip(params, plain.params, decayed.params):
        if start.ndim == 2:  # a weight: w - lr (g + lambda w) = (w - lr g) - lr lambda w
            np.testing.assert_allclose(p_decayed, p_plain - 0.5 * (0.1 * start), rtol=0, atol=1e-15)
        else:  # a bias does not decay
            np.testing.assert_array_equal(p_decayed, p_plain)


@pytest.mark.parametrize("trainer", [scalar_net, matrix_net], ids=["scalar_net", "matrix_net"])
def test_averaged_momentum_keeps_beta_v_plus_one_minus_beta_g_and_classic_beta_v_plus_g(trainer):
    case = Case(optimizer="momentum", lr=0.5)
    X, Y = case.data()
    params = case.params()
    for form, weight in (("classic", 1.0), ("average", 1.0 - 0.9)):
        training = {**case.training(), "momentum": 0.9, "momentum_form": form}
        first = trainer.train(params, X, Y, epochs=1, **training)
        _, g1 = trainer.batch_gradient(params, X, Y, **case.model())
        _, g2 = trainer.batch_gradient(first.params, X, Y, **case.model())
        second = trainer.train(first.params, X, Y, epochs=1, state=first.state, **training)
        for p0, p1, p2, a, b, v1, v2 in zip(params, first.params, second.params, g1, g2,
                                            first.state.first, second.state.first):
            np.testing.assert_array_equal(v1, weight * a)  # v = 0.9 * 0 + weight * g1
            np.testing.assert_array_equal(p1, p0 - 0.5 * v1)
            np.testing.assert_array_equal(v2, 0.9 * v1 + weight * b)
            np.testing.assert_array_equal(p2, p1 - 0.5 * v2)


def test_half_mse_has_half_the_loss_and_half_the_gradient_of_mse():
    case = Case()
    X, Y = case.data()
    params = case.params()
    for trainer, exact in ((scalar_net, {}), (matrix_net, dict(exact=True)), (matrix_net, {})):
        loss, grads = trainer.batch_gradient(params, X, Y, loss="mse", **exact)
        half_loss, half_grads = trainer.batch_gradient(params, X, Y, loss="half-mse", **exact)
        assert half_loss == loss / 2  # halving is exact in binary floating point
        for g, h in zip(grads, half_grads):
            np.testing.assert_array_equal(h, g / 2)


def rises(losses):
    """How many epochs the loss went up: 0 for a stable run."""
    return int(np.sum(losses[1:] > 1.001 * losses[:-1]))


@pytest.mark.parametrize("run", [("xor", None, 1.0, 2000), ("xor", 1, 1.0, 200),
                                 ("linear", None, 1.0, 2000), ("linear", 1, 0.3, 200)], ids=run_id)
def test_blas_mode_agrees_to_about_1e_14_when_training_is_stable(run):
    scalar, matrix = train(scalar_net, run), train(matrix_net, run)
    assert rises(scalar.loss) == 0
    for a, b in zip(scalar.params, matrix.params):
        np.testing.assert_allclose(b, a, rtol=0, atol=1e-13)
    np.testing.assert_allclose(matrix.loss, scalar.loss, rtol=1e-12)


def test_an_unstable_phase_amplifies_blas_last_bit_differences_but_not_exact_ones():
    run = ("linear", 1, 1.0, 200)  # per-sample, at a step size where the loss keeps rising again
    scalar, blas = train(scalar_net, run), train(matrix_net, run)
    assert rises(scalar.loss) > 10
    assert max(np.max(np.abs(a - b)) for a, b in zip(scalar.params, blas.params)) > 1e-3
    assert identical(scalar.params, train(matrix_net, run, exact=True).params)


TRAINERS = [(scalar_net, {}), (matrix_net, {"exact": True}), (matrix_net, {})]
TRAINER_IDS = ["scalar_net", "matrix_net-exact", "matrix_net-blas"]


@pytest.mark.parametrize("trainer, extra", TRAINERS, ids=TRAINER_IDS)
@pytest.mark.parametrize("batch_size, weight_decay", [(None, 0.0), (8, 0.0), (8, 0.1), (1, 0.0)])
def test_the_gradient_norms_are_each_epochs_root_mean_square_of_the_steps_dl_dw_norm(trainer, extra, batch_size,
                                                                                      weight_decay):
    """Gradient descent redone step by step from batch_gradient: each step's ||dL/dW_l|| (the data
    term's gradient, before the decay), their root-mean-square over the epoch's steps."""
    case = Case(hidden=(5, 3, 4), init="xavier", lr=2.0)
    X, Y = case.data()
    params = case.params()
    epochs = 3
    result = trainer.train(params, X, Y, epochs=epochs, batch_size=batch_size, lr=case.lr,
                           weight_decay=weight_decay, **extra)
    size = len(X) if batch_size is None else batch_size
    expected = np.zeros((epochs, len(case.sizes) - 1))
    for epoch in range(epochs):
        squares = []
        for start in range(0, len(X), size):
            _, grads = trainer.batch_gradient(params, X[start:start + size], Y[start:start + size], **extra)
            squares.append([np.sum(g ** 2) for g in grads[0::2]])  # the weights, W1, W2, ...
            params = [p - case.lr * (g + weight_decay * p if p.ndim == 2 else g) for p, g in zip(params, grads)]
        expected[epoch] = np.sqrt(np.mean(squares, axis=0))
    assert result.gradient_norms.shape == (epochs, 4)
    np.testing.assert_allclose(result.gradient_norms, expected, rtol=1e-12)
    assert np.all(np.diff(expected, axis=0) != 0)  # every epoch its own numbers


@pytest.mark.parametrize("trainer, extra", TRAINERS[:2], ids=TRAINER_IDS[:2])
def test_the_gradient_norms_continue_through_state_and_stop_with_a_divergence(trainer, extra):
    case = Case(optimizer="adam", batch_size=8, lr=0.05)
    X, Y = case.data()
    whole = trainer.train(case.params(), X, Y, epochs=40, **case.training(), **extra)
    first = trainer.train(case.params(), X, Y, epochs=15, **case.training(), **extra)
    second = trainer.train(first.params, X, Y, epochs=25, state=first.state, **case.training(), **extra)
    np.testing.assert_array_equal(np.vstack([first.gradient_norms, second.gradient_norms]), whole.gradient_norms)
    with np.errstate(all="ignore"):
        # each step multiplies the weights by 1 - lr lambda = -999: infinite in about 35 epochs
        diverged = trainer.train(case.params(), X, Y, epochs=50, lr=1.0, weight_decay=1e3, batch_size=8, **extra)
    assert diverged.diverged_at == diverged.epochs_run < 50
    assert diverged.gradient_norms.shape == (diverged.epochs_run, 3)
    assert np.all(np.isfinite(diverged.gradient_norms[:5]))
