"""Real data: 64-H-10 (H = 16, 64, 256) and 64-H-H-10 (H = 64, 256) on the 1,797 8x8 digits,
softmax and cross-entropy, full batch and mini-batches of 32: by how much the matrix form wins
there, and from which width."""

import pytest

from benchmarks.cases import case_params, time_case
from benchmarks.implementations import DIGITS, MATRIX_EXACT
from benchmarks.workloads import DIGITS_WIDTHS, DIGITS_WORKLOADS

#: Exact mode on the narrowest net only: its products materialise m*K*n numbers (half a second
#: an epoch at 64-64-10, 1 GB at H = 256 on the full batch).
NARROWEST = [w for w in DIGITS_WORKLOADS if w.hidden == min(DIGITS_WIDTHS[1])]


@pytest.mark.parametrize("workload, implementation",
                         case_params(DIGITS_WORKLOADS, DIGITS) + case_params(NARROWEST, [MATRIX_EXACT]))
def test_digits(benchmark, workload, implementation):
    time_case(benchmark, workload, implementation)
