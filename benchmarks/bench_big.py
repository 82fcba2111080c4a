"""2-256-256-1 on linear-10000, full batch: wide and large, where the matrix form should run at
the speed of its matrix products ("products-only" times those alone)."""

import pytest

from benchmarks.cases import case_params, time_case
from benchmarks.implementations import PRODUCTS, SCALING
from benchmarks.workloads import BIG


@pytest.mark.parametrize("workload, implementation", case_params([BIG], (*SCALING, PRODUCTS)))
def test_big(benchmark, workload, implementation):
    time_case(benchmark, workload, implementation)
