"""Every thread pool pinned to one thread while timing.

On a 2-core machine NumPy's OpenBLAS, the BLAS numba calls (SciPy's), PyTorch's OpenMP pool and
XLA's Eigen pool each start their own threads; with the default pools some sizes ran 10-50x
slower.  Two layers of pinning:

* ``set_environment()``: the variables the pools read when their library is loaded.  The
  repository's root conftest.py, which pytest loads first, calls it in a timed session, before
  anything imports numpy.
* ``pinned()``: threadpoolctl's limit on every pool already loaded (when threadpoolctl is
  installed; it is not a dependency of backprop-lab), plus ``torch.set_num_threads(1)``.
* ``pin_to_one_core()``, for a timed session: every thread of the process on one CPU (Linux).
  XLA sizes its pool from the CPUs it may use and ignores XLA_FLAGS' thread settings, so
  without this JAX ran its larger sizes on both cores; threads started later inherit the CPU.
"""

import contextlib
import os
import shlex
import sys

THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
TIMING_OPTIONS = ("--benchmark-only", "--benchmark-enable")


def timed_session(argv):
    """Whether this pytest command times benchmarks (read from the command line: the thread
    variables must be set before numpy is imported, so before pytest has parsed its options)."""
    arguments = [*argv, *shlex.split(os.environ.get("PYTEST_ADDOPTS", ""))]
    return any(option in arguments for option in TIMING_OPTIONS)
XLA_SINGLE_THREAD = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"

#: Whether numpy had been imported when the environment was set (then OpenBLAS ignored it).
numpy_was_loaded = None
#: The CPU pin_to_one_core chose, or None.
pinned_cpu = None


def set_environment():
    """Set the thread variables to 1 (overriding any value) and XLA to one thread."""
    global numpy_was_loaded
    numpy_was_loaded = "numpy" in sys.modules
    for name in THREAD_VARIABLES:
        os.environ[name] = "1"
    flags = os.environ.get("XLA_FLAGS", "")
    if "xla_cpu_multi_thread_eigen" not in flags:
        os.environ["XLA_FLAGS"] = f"{flags} {XLA_SINGLE_THREAD}".strip()


def pin_to_one_core():
    """Move every thread of this process, and so those it will start, onto one CPU (the last
    this process may use); return it, or None where the system has no sched_setaffinity."""
    global pinned_cpu
    if not hasattr(os, "sched_setaffinity"):
        return None
    cpu = max(os.sched_getaffinity(0))
    for task in os.listdir("/proc/self/task"):
        try:
            os.sched_setaffinity(int(task), {cpu})
        except OSError:  # the thread ended meanwhile
            pass
    pinned_cpu = cpu
    return cpu


@contextlib.contextmanager
def pinned():
    """Limit every thread pool loaded so far to one thread for the duration of the block."""
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(1)
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        yield
        return
    with threadpool_limits(limits=1):
        yield


def describe():
    """One line saying how the pools are pinned."""
    try:
        import threadpoolctl

        how = f"; threadpoolctl {threadpoolctl.__version__} limits every loaded pool to 1"
    except ImportError:
        # Without threadpoolctl only a pool that started before the variables were set stays
        # unpinned, and in a timed session none does (the root conftest.py sets them first):
        # say so only when one did.
        how = "; threadpoolctl not installed: pools loaded before the variables were set run unpinned" \
            if numpy_was_loaded else ""
    env = ", ".join(f"{name}={os.environ.get(name)}" for name in THREAD_VARIABLES)
    late = " (set after numpy was imported: NumPy's OpenBLAS kept its pool)" \
        if numpy_was_loaded else ""
    core = f"; the process runs on CPU {pinned_cpu} only" if pinned_cpu is not None else ""
    return f"thread pools pinned to 1 thread: {env}{late}; torch.set_num_threads(1){how}{core}"


def pool_report():
    """[{library, threads, version}] for every pool threadpoolctl sees, or [] without it."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return []
    return [{k: pool.get(k) for k in ("internal_api", "prefix", "num_threads", "version")}
            for pool in threadpool_info()]
