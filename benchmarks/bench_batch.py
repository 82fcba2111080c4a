"""2-4-4-1 on linear-n, full batch, n = 21, 1000, 10000 (n=100 is bench_lab's): where the matrix
form overtakes the element-wise one as batches grow."""

import pytest

from benchmarks.cases import case_params, time_case
from benchmarks.implementations import SCALING
from benchmarks.workloads import BATCH_WORKLOADS


@pytest.mark.parametrize("workload, implementation", case_params(BATCH_WORKLOADS, SCALING))
def test_batch(benchmark, workload, implementation):
    time_case(benchmark, workload, implementation)
