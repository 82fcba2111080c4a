"""2-H-H-1 on linear-100, full batch, H = 16, 64, 256 (H=4 is bench_lab's): where the matrix
form overtakes the element-wise one as layers widen."""

import pytest

from benchmarks.cases import case_params, time_case
from benchmarks.implementations import SCALING
from benchmarks.workloads import WIDTH_WORKLOADS


@pytest.mark.parametrize("workload, implementation", case_params(WIDTH_WORKLOADS, SCALING))
def test_width(benchmark, workload, implementation):
    time_case(benchmark, workload, implementation)
