"""The long exact-mode runs, computed in worker processes so both cores work on them at once.

conftest.py starts them as soon as pytest has collected a test that needs them, so they run
while the rest of the suite does.
"""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import matrix_net
from backprop_lab.config import Config, prepare

#: (data set, batch size, learning rate, epochs).  The learning rates put each run through
#: unstable phases (the loss rises again, by more than 10%, tens to thousands of times) before
#: it settles, the setting in which a difference in the last bit has the most chance to grow.
LONG_RUNS = [
    ("xor", None, 5.0, 100_000),
    ("xor", 1, 5.0, 100_000),
    ("linear", None, 10.0, 10_000),
    ("linear", 1, 5.0, 10_000),
]


def run_id(run):
    dataset, batch_size, lr, epochs = run
    return f"{dataset}-{'full' if batch_size is None else 'per-sample'}-lr{lr:g}-{epochs}epochs"


def train(trainer, run, **extra):
    dataset, batch_size, lr, epochs = run
    X, Y, params = prepare(Config(dataset=dataset, seed=1))
    return trainer.train(params, X, Y, lr=lr, epochs=epochs, batch_size=batch_size, **extra)


def train_matrix_exact(run):
    """Worker: the matrix trainer in exact mode; returns (params, loss)."""
    result = train(matrix_net, run, exact=True)
    return result.params, result.loss


_pool = None
_futures = {}


def start():
    """Submit every long matrix run to two worker processes, the slowest first."""
    global _pool
    if _pool is None:
        _pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"))
        for run in sorted(LONG_RUNS, key=lambda r: -r[3] * (21 if r[1] == 1 else 1)):
            _futures[run] = _pool.submit(train_matrix_exact, run)


def matrix_exact_result(run):
    """(params, loss) of the matrix trainer's exact run ``run``; waits for its worker."""
    start()
    return _futures[run].result()


def stop():
    if _pool is not None:
        _pool.shutdown(cancel_futures=True)
