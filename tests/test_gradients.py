"""dL/dtheta from backpropagation, checked against the definition of the derivative.

For every parameter theta of every case, the central difference
    (L(theta + h) - L(theta - h)) / 2h
must match the gradient each implementation computes by the chain rule, and the
implementations must match each other.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_lab.network import weights_and_biases
import matrix_net
import reference
import scalar_net
from cases import CLASS_MODELS, MODELS, Case, ids, random_inputs

STEP = 1e-6


def loss_of(params, X, Y, model):
    return reference.loss(params, X, Y, **model)


def central_differences(params, X, Y, model):
    """The gradient by finite differences, every entry of every parameter."""
    grads = []
    for p in params:
        g = np.zeros_like(p)
        for index in np.ndindex(p.shape):
            saved = p[index]
            p[index] = saved + STEP
            up = loss_of(params, X, Y, model)
            p[index] = saved - STEP
            down = loss_of(params, X, Y, model)
            p[index] = saved
            g[index] = (up - down) / (2 * STEP)
        grads.append(g)
    return grads


def min_abs_preactivation(params, X, case):
    """The hidden pre-activation closest to 0 (ReLU's kink) over the batch."""
    Ws, bs = weights_and_biases(params)
    bs = bs or [0.0] * len(Ws)
    closest, a = np.inf, X
    for W, b in zip(Ws[:-1], bs[:-1]):
        z = a @ W + b
        closest = min(closest, np.abs(z).min())
        a = reference.HIDDEN[case.activation](z)
    return closest


@pytest.mark.parametrize("case", MODELS + CLASS_MODELS, ids=ids(MODELS + CLASS_MODELS))
def test_backprop_gradient_equals_the_finite_difference_on_every_parameter(case, batch_gradient):
    params, X, Y = random_inputs(case, m=6, seed=11)
    assert min_abs_preactivation(params, X, case) > 1e3 * STEP  # the kink is outside +-h
    loss, grads = batch_gradient(params, X, Y, **case.model())
    np.testing.assert_allclose(loss, reference.loss(params, X, Y, **case.model()), rtol=1e-13)
    for analytic, numeric in zip(grads, central_differences(params, X, Y, case.model())):
        assert analytic.shape == numeric.shape
        np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.exactness
@pytest.mark.parametrize("case", MODELS + CLASS_MODELS, ids=ids(MODELS + CLASS_MODELS))
def test_both_trainers_compute_the_same_batch_gradient(case):
    params, X, Y = random_inputs(case, m=9, seed=12)
    loss_s, grads_s = scalar_net.batch_gradient(params, X, Y, **case.model())
    loss_e, grads_e = matrix_net.batch_gradient(params, X, Y, exact=True, **case.model())
    loss_b, grads_b = matrix_net.batch_gradient(params, X, Y, **case.model())
    # Same summation order: the same bits.
    assert loss_s == loss_e
    for gs, ge in zip(grads_s, grads_e):
        np.testing.assert_array_equal(gs, ge)
    # BLAS sums in its own order: equal to the last few bits.
    np.testing.assert_allclose(loss_b, loss_s, rtol=1e-14)
    for gs, gb in zip(grads_s, grads_b):
        np.testing.assert_allclose(gb, gs, rtol=1e-12, atol=1e-15)


@pytest.mark.exactness
@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), m=st.integers(1, 30),
       hidden=st.lists(st.integers(1, 6), min_size=1, max_size=3))
def test_exact_mode_matches_the_elementwise_gradient_bit_for_bit_on_random_nets(seed, m, hidden):
    case = Case(hidden=tuple(hidden))
    params, X, Y = random_inputs(case, m=m, seed=seed)
    loss_s, grads_s = scalar_net.batch_gradient(params, X, Y)
    loss_e, grads_e = matrix_net.batch_gradient(params, X, Y, exact=True)
    assert loss_s == loss_e
    assert all(np.array_equal(gs, ge) for gs, ge in zip(grads_s, grads_e))
