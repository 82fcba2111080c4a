"""What one multiply-add, exp and division cost here, compiled as the element-wise trainer
compiles them: the rate the bench report (backprop_lab/commands/bench/report.py) sets the
trainer's operation count against."""

import pytest

from benchmarks import scalar_rate
from benchmarks.timing import mark, time_per_unit


@pytest.mark.parametrize("operation", [pytest.param(op, marks=mark("machine: one scalar operation, compiled"))
                                       for op in scalar_rate.KERNELS])
def test_scalar_rate(benchmark, operation):
    time_per_unit(benchmark, scalar_rate.prepare(operation), unit_size=scalar_rate.SIZE)
    benchmark.extra_info.update(operation=operation, unit="operation")
