"""At the lab's size (2-4-4-1 on linear-100 and XOR-21, full batch and per sample), every
implementation: is the matrix form faster here?"""

import pytest

from benchmarks.cases import case_params, time_case
from benchmarks.implementations import AT_LAB_SIZE
from benchmarks.workloads import LAB_WORKLOADS


@pytest.mark.parametrize("workload, implementation", case_params(LAB_WORKLOADS, AT_LAB_SIZE))
def test_lab(benchmark, workload, implementation):
    time_case(benchmark, workload, implementation)
