"""The element-wise and the matrix trainer are the same algorithm on the same numbers.

In exact mode the matrix trainer sums every product in the element-wise order, so the two must
agree to the last bit after any number of steps.  With BLAS the sums are reordered and fused, so
they agree to about 1e-14 while training is stable.
"""

import numpy as np
import pytest

import matrix_net
import scalar_net
from cases import COMBINATIONS, ids
from long_runs import LONG_RUNS, matrix_exact_result, run_id, train

pytestmark = pytest.mark.exactness


def identical(params_a, params_b):
    return all(np.array_equal(a, b) for a, b in zip(params_a, params_b))


@pytest.mark.parametrize("run", LONG_RUNS, ids=[run_id(r) for r in LONG_RUNS])
@pytest.mark.long_runs
def test_exact_mode_gives_bitwise_identical_weights_after_long_runs(run):
    scalar = train(scalar_net, run)
    assert scalar.diverged_at is None
    losses = scalar.loss
    assert np.sum(losses[1:] > 1.1 * losses[:-1]) >= 10  # it did pass through unstable phases
    matrix_params, matrix_loss = matrix_exact_result(run)
    assert identical(scalar.params, matrix_params)
    np.testing.assert_array_equal(scalar.loss, matrix_loss)


def steps_per_epoch(case):
    return 1 if case.batch_size is None else -(-21 // case.batch_size)


@pytest.mark.parametrize("case", COMBINATIONS, ids=ids(COMBINATIONS))
def test_every_option_combination_gives_bitwise_identical_weights_in_exact_mode(case):
    X, Y = case.data()
    epochs = 3000 // steps_per_epoch(case)  # about 3000 optimizer steps each
    scalar = scalar_net.train(case.params(), X, Y, epochs=epochs, **case.training())
    matrix = matrix_net.train(case.params(), X, Y, epochs=epochs, exact=True, **case.training())
    assert scalar.diverged_at is None and matrix.diverged_at is None
    assert identical(scalar.params, matrix.params)
    np.testing.assert_array_equal(scalar.loss, matrix.loss)
    np.testing.assert_array_equal(scalar.accuracy, matrix.accuracy)


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
