"""One benchmark case: one workload trained by one implementation, timed per epoch.

``case_params`` builds the one parametrised list of a bench file (every workload times every
implementation, grouped per workload); ``time_case`` times a case and first checks that the
implementation computes what the trainers compute: its first epoch's loss must equal
matrix_net's to 1e-9, or the case fails instead of timing something else (a float32 JAX, say).
"""

import math
from functools import lru_cache

import pytest

import matrix_net
from benchmarks import implementations, op_count, workloads
from benchmarks.timing import mark, time_per_unit

WORKLOADS = {w.id: w for w in (*workloads.LAB_WORKLOADS, *workloads.WIDTH_WORKLOADS,
                               *workloads.BATCH_WORKLOADS, workloads.BIG, *workloads.DIGITS_WORKLOADS)}
IMPLEMENTATIONS = {impl.name: impl for impl in (*implementations.AT_LAB_SIZE, implementations.PRODUCTS)}


def case_params(workload_list, implementation_list):
    """pytest params (workload id, implementation name), marked with the workload's group."""
    return [pytest.param(w.id, impl.name, id=f"{w.id}-{impl.name}", marks=[mark(w.group), *_together(impl)])
            for w in workload_list for impl in implementation_list]


def _together(impl):
    """numba_matrix compiles its loop on its first call in a process: one xdist worker runs all its cases."""
    return [pytest.mark.xdist_group("numba_matrix")] if impl is implementations.NUMBA_MATRIX else []


@lru_cache(maxsize=None)
def reference_loss(workload_id):
    """matrix_net's loss for the first epoch of the workload."""
    w = WORKLOADS[workload_id]
    params, (X, Y) = w.params(), w.data()
    return matrix_net.train(params, X, Y, lr=workloads.LR, epochs=1, batch_size=w.batch_size).loss[0]


def time_case(benchmark, workload_id, implementation_name):
    workload, impl = WORKLOADS[workload_id], IMPLEMENTATIONS[implementation_name]
    run = impl.runner(workload)
    loss = time_per_unit(benchmark, run)
    if loss is not None and not math.isclose(loss, reference_loss(workload_id), rel_tol=1e-9):
        pytest.fail(f"{impl.name} trains something else: first-epoch loss {loss!r}, "
                    f"matrix_net's {reference_loss(workload_id)!r}")
    info = benchmark.extra_info
    info.update(workload.info(), implementation=impl.name, about=impl.about, unit="epoch")
    if impl is implementations.SCALAR:
        info["op_count"] = op_count.per_epoch(workload.sizes, workload.n, workload.batch_size)
    if getattr(run, "inside_seconds", None) and len(run.inside_seconds) > 1:
        info["inside_seconds_per_epoch"] = min(run.inside_seconds[1:])  # the fastest, as the bench report shows it
    if hasattr(run, "multiply_adds"):
        info["multiply_adds_per_epoch"] = run.multiply_adds
