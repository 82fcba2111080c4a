"""The lab's two data sets, exactly as the lab defines them."""

import numpy as np
import pytest

from backprop_lab.data import generate_linear, generate_xor_easy, load


def test_xor_easy_is_the_labs_21_points_in_order():
    X, y = generate_xor_easy()
    expected = []
    for i in range(11):
        expected.append(((0.1 * i, 0.1 * i), 0.0))  # the diagonal, class 0
        if i != 5:  # the anti-diagonal, class 1; at i = 5 it would repeat the centre
            expected.append(((0.1 * i, 1 - 0.1 * i), 1.0))
    assert X.dtype == np.float64 and y.dtype == np.float64
    assert X.shape == (21, 2) and y.shape == (21, 1)
    assert X.tolist() == [list(p) for p, _ in expected]
    assert y.ravel().tolist() == [label for _, label in expected]


def test_xor_easy_has_the_centre_once_labelled_0():
    X, y = generate_xor_easy()
    centre = np.all(np.isclose(X, 0.5), axis=1)
    assert centre.sum() == 1 and y[centre, 0] == 0.0
    assert (y == 0).sum() == 11 and (y == 1).sum() == 10


@pytest.mark.parametrize("n", [1, 7, 100, 1000])
def test_linear_points_are_uniform_in_the_unit_square_and_labelled_by_the_diagonal(n):
    X, y = generate_linear(n, seed=5)
    assert X.shape == (n, 2) and y.shape == (n, 1) and X.dtype == y.dtype == np.float64
    assert np.all((0 <= X) & (X < 1))
    np.testing.assert_array_equal(y[:, 0], np.where(X[:, 0] > X[:, 1], 0.0, 1.0))


def test_linear_is_fixed_by_its_seed():
    np.testing.assert_array_equal(generate_linear(50, seed=9)[0], generate_linear(50, seed=9)[0])
    assert not np.array_equal(generate_linear(50, seed=9)[0], generate_linear(50, seed=10)[0])


def test_linear_covers_both_classes_evenly():
    _, y = generate_linear(10_000, seed=0)
    assert abs(y.mean() - 0.5) < 0.02  # P(x0 <= x1) = 1/2


@pytest.mark.parametrize("call", [lambda: generate_linear(0), lambda: load("nosuch")])
def test_bad_requests_say_what_is_wrong(call):
    with pytest.raises(ValueError):
        call()


@pytest.mark.parametrize("trainer", ["scalar_net", "matrix_net"])
@pytest.mark.parametrize("X_shape, Y_shape, named", [((5, 3), (5, 1), "X"), ((5, 2), (5, 2), "Y"), ((5, 2), (4, 1), "Y"),
                                                     ((5,), (5, 1), "X")])
def test_both_trainers_refuse_data_of_the_wrong_shape_alike(trainer, X_shape, Y_shape, named):
    import importlib

    from backprop_lab.network import init_params

    with pytest.raises(ValueError, match=f"^{named} must"):
        importlib.import_module(trainer).train(init_params(seed=0), np.zeros(X_shape), np.zeros(Y_shape),
                                               lr=0.1, epochs=1)
