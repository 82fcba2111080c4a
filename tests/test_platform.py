"""What exact mode assumes of the machine: NumPy's exp, expm1 and log1p are the C library's.

scalar_net calls the C library's functions one value at a time (numba and plain Python alike);
matrix_net calls NumPy's on arrays.  Bitwise-identical weights need the two to agree on every
input.  They do for the NumPy builds this project runs on (x86-64 with AVX2); a NumPy that uses
its own SIMD exp (AVX-512 builds) would break exact mode, and this test says so first.
(NumPy's tanh already differs, which is why both trainers build tanh from expm1.)
"""

import math

import numpy as np
import pytest

rng = np.random.default_rng(0)
INPUTS = np.concatenate([rng.uniform(-1, 1, 20_000), rng.uniform(-50, 50, 20_000),
                         rng.uniform(-745, 709, 20_000), [0.0, -0.0, 1e-300, -1e-300]])


@pytest.mark.parametrize("name, inputs", [("exp", INPUTS), ("expm1", INPUTS), ("log1p", np.abs(INPUTS))])
def test_numpy_and_the_c_library_agree_to_the_last_bit(name, inputs):
    vectorised = getattr(np, name)(inputs)
    one_at_a_time = np.array([getattr(math, name)(float(x)) for x in inputs])
    differ = np.flatnonzero(vectorised != one_at_a_time)
    assert differ.size == 0, (
        f"np.{name} and math.{name} differ on {differ.size} of {inputs.size} inputs "
        f"(first: {inputs[differ[0]]!r}): this NumPy build has its own {name}, so exact mode "
        "cannot give bitwise-identical weights on this machine")
