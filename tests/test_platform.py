"""Exact mode computes with the C library's exp, expm1 and log1p, on any CPU and any NumPy.

scalar_net calls the C library one value at a time (numba compiles ``math.exp`` into that call,
and plain Python's ``math.exp`` is that call).  matrix_net's exact mode takes the same functions
(matrix_net.libm), not NumPy's: on CPUs with AVX-512 NumPy's own SIMD exp differs from the C
library's in the last bit for a few percent of inputs.  What NumPy's functions do on this
machine is reported at the end of every test run (tests/conftest.py), not asserted: BLAS mode
may use them, exact mode does not.
"""

import os
import subprocess
import sys

import numpy as np
import pytest

import scalar_net.activations as scalar_activations
import scalar_net.losses as scalar_losses
from backprop_lab import options
from elementary import FUNCTIONS, INPUTS, bits, differing
from matrix_net import activations as matrix_activations
from matrix_net import losses as matrix_losses
from matrix_net import modes

pytestmark = pytest.mark.exactness


@pytest.mark.parametrize("name", FUNCTIONS)
def test_exact_mode_computes_the_c_librarys_elementary_functions_to_the_last_bit(name):
    wrong, compared, first = differing(getattr(modes.select(exact=True), name), name)
    assert compared > 60_000
    assert wrong == 0, f"exact mode's {name} differs from the C library's on {wrong} of {compared} inputs (first: {first!r})"


def test_blas_mode_uses_numpys_own_functions():
    blas = modes.select(exact=False)
    assert (blas.exp, blas.expm1, blas.log1p) == (np.exp, np.expm1, np.log1p)


#: Pre-activations over every scale the trainers meet, both signs, exact zeros.
Z = np.concatenate([INPUTS[np.isfinite(INPUTS)][::7], [0.0, -0.0]])


@pytest.mark.parametrize("activation", options.ACTIVATIONS)
def test_every_activation_and_its_derivative_are_bitwise_the_same_in_both_trainers(activation):
    kind, slope, exact = options.code(activation, options.ACTIVATIONS), 0.01, modes.select(exact=True)
    with np.errstate(all="ignore"):
        A = matrix_activations.activate(kind, Z, slope, exact)
        dA = matrix_activations.derivative(kind, Z, A, slope, exact)
    a = np.array([scalar_activations.activate(kind, z, slope) for z in Z])
    da = np.array([scalar_activations.derivative(kind, z, a_, slope) for z, a_ in zip(Z, a)])
    np.testing.assert_array_equal(bits(A), bits(a))
    np.testing.assert_array_equal(bits(dA), bits(da))


@pytest.mark.parametrize("loss", options.LOSSES)
def test_every_loss_is_bitwise_the_same_in_both_trainers(loss):
    kind, exact = options.code(loss, options.LOSSES), modes.select(exact=True)
    z = Z[np.abs(Z) < 1e3].reshape(-1, 1)
    for y in (0.0, 1.0):
        Y = np.full_like(z, y)
        Y_hat = matrix_activations.sigmoid(z, exact)
        matrix = matrix_losses.sample_losses(kind, z, Y_hat, Y, exact)[:, 0]
        scalar = np.array([scalar_losses.sample_loss(kind, zz, yh, y) for zz, yh in zip(z[:, 0], Y_hat[:, 0])])
        np.testing.assert_array_equal(bits(matrix), bits(scalar))


def test_nothing_lets_the_compiler_change_the_c_librarys_bits():
    """No fast-math anywhere, and Intel's SVML (used by numba for vectorised loops when the icc_rt
    package is installed) switched off by both trainers before numba loads, whatever the user's
    environment says, unless the user sets NUMBA_DISABLE_INTEL_SVML themselves."""
    environment = {k: v for k, v in os.environ.items() if k != "NUMBA_DISABLE_INTEL_SVML"}
    for trainer in ("scalar_net", "matrix_net.libm"):
        code = (f"import {trainer}, numba; "
                "print(numba.config.DISABLE_INTEL_SVML, numba.config.USING_SVML)")
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment,
                              timeout=120)
        assert done.stdout.split() == ["1", "False"], (trainer, done.stdout, done.stderr)
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for folder in ("scalar_net", "matrix_net"):
        for path in (root / folder).glob("*.py"):
            assert "fastmath" not in path.read_text(encoding="utf-8"), path
