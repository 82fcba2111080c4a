"""Train every (setting, seed) of an experiment with scalar_net, spread over worker processes.

A run depends only on its Config (the seed fixes the data and the initial weights), and results
come back in the order the runs were listed, so the numbers are the same for any number of
workers and on every rerun.
"""

import multiprocessing
import signal
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace

import numpy as np

import scalar_net
from backprop_lab.classes import accuracy
from backprop_lab.config import Config, held_out, prepare


@dataclass
class RunResult:
    """One training run, as the experiment keeps it.

    loss, accuracy: (epochs_run,) per-epoch values (conventions: "Epoch loss and accuracy");
    diverged_at:    1-based epoch at which the loss stopped being finite, else None;
    params:         final parameters, kept for the seed whose decision boundary is drawn;
    check_diff:     with ``check``: the largest |difference| between the parameters that
                    scalar_net and matrix_net (exact mode) end with, and whether their losses
                    and accuracies agreed in every epoch, bit for bit.
    test_loss, test_accuracy: with held-out points (``test_fraction``): the final parameters'
                    loss and accuracy on them (None without).
    gradient_norms: (epochs_run, L) each layer's gradient norm per epoch (conventions), kept
                    when the experiment draws them (``keep_gradients``), else None.
    """

    loss: np.ndarray
    accuracy: np.ndarray
    epochs_run: int
    diverged_at: int | None
    params: list | None = None
    check_diff: float | None = None
    check_curves_equal: bool | None = None
    test_loss: float | None = None
    test_accuracy: float | None = None
    gradient_norms: np.ndarray | None = None


@dataclass(frozen=True)
class Task:
    config: Config
    keep_params: bool = False
    check: bool = False
    keep_gradients: bool = False


def train(task):
    """Run one task; the function every worker calls."""
    config = task.config
    X_all, Y_all, params = prepare(config)
    X, Y, X_test, Y_test = held_out(config, X_all, Y_all)  # all points when test_fraction is 0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # divergence is recorded
        result = scalar_net.train(params, X, Y, epochs=config.epochs, **config.trainer_options())
    run = RunResult(result.loss, result.accuracy, result.epochs_run, result.diverged_at,
                    result.params if task.keep_params else None,
                    gradient_norms=result.gradient_norms if task.keep_gradients else None)
    if len(X_test) and result.diverged_at is None:
        shared = dict(activation=config.activation, leaky_slope=config.leaky_slope)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            run.test_loss = float(scalar_net.batch_gradient(result.params, X_test, Y_test, loss=config.loss,
                                                            **shared)[0])
            y_hat = scalar_net.predict(result.params, X_test, **shared)
        run.test_accuracy = accuracy(y_hat, Y_test)  # one output: the side of 0.5; K: the argmax
    if task.check:
        import matrix_net  # only --check needs it

        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            matrix = matrix_net.train(params, X, Y, epochs=config.epochs, exact=True, **config.trainer_options())
        run.check_diff = max(_difference(a, b) for a, b in zip(result.params, matrix.params))
        run.check_curves_equal = (np.array_equal(result.loss, matrix.loss, equal_nan=True)
                                  and np.array_equal(result.accuracy, matrix.accuracy))
    return run


def _difference(a, b):
    """The largest |a - b|, where NaN on both sides counts as equal and NaN on one side as inf."""
    with np.errstate(invalid="ignore"):
        same = (a == b) | (np.isnan(a) & np.isnan(b))
        difference = np.where(same, 0.0, np.abs(a - b))
    return float(np.max(np.where(np.isnan(difference), np.inf, difference)))


def _context(task):
    """Fork where the system has it, after loading the compiled trainer here: every worker then
    starts with it (a spawned worker spends about a second importing and loading it).  The
    caller starts no thread before (the progress bar's monitor thread is off)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    tiny = replace(task.config, epochs=1, batch_size=None)
    X, Y, params = prepare(tiny)  # (the held-out split does not matter for one sample)
    scalar_net.train(params, X[:1], Y[:1], epochs=1, **{**tiny.trainer_options(), "batch_size": 1})
    return multiprocessing.get_context("fork")


def run_all(tasks, jobs, progress=None):
    """RunResults for ``tasks``, in their order; ``jobs`` worker processes (1: in this process).

    ``progress``: called with no argument after each run (a progress bar's update).
    """
    results = []
    jobs = min(jobs, len(tasks))  # no idle worker: the memory estimate counts as many (Plan.memory_bytes)
    if jobs == 1:
        for task in tasks:
            results.append(train(task))
            if progress:
                progress()
        return results
    chunk = max(1, len(tasks) // (jobs * 8))
    pool = ProcessPoolExecutor(jobs, mp_context=_context(tasks[0]), initializer=_worker_signals)
    try:
        for run in pool.map(train, tasks, chunksize=chunk):
            results.append(run)
            if progress:
                progress()
    except BrokenProcessPool:
        _stop(pool)  # the other workers too: Python's exit would wait for them
        raise WorkerLost("a worker process ended before its runs did (killed, perhaps by the "
                         "out-of-memory killer); no report was written") from None
    except BaseException:
        _stop(pool)  # Ctrl-C, SIGTERM: now, not once the runs in progress end
        raise
    pool.shutdown()
    return results


class WorkerLost(OSError):
    """A worker of the pool died (kill -9, the out-of-memory killer): cli.main's one line, exit 1."""


def _worker_signals():
    """In a worker: Ctrl-C, which the terminal sends to every process of the group, is the main
    process's to answer (it stops the workers); SIGTERM ends the worker as it would any process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _stop(pool):
    """End the pool at once: its workers killed, its queued runs dropped, nothing waited for but
    the workers' exits and the end of the pool's manager thread (each bounded: a killed process
    ends, and with its runs dropped the thread has nothing to wait for)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    # The pool's manager thread closes its wake-up pipe as it ends, and the interpreter's exit
    # writes to that pipe: when the two meet, the write fails with a traceback after our one-line
    # error ("Exception ignored in threading", EBADF).  So its end is waited for here, before the
    # exit (shutdown forgets the thread, so it is taken first).
    manager = getattr(pool, "_executor_manager_thread", None)
    # Runs still buffered for the killed workers are dropped: the thread that feeds them into the
    # pipe would wait for a reader for ever, and the manager thread (and so the exit) with it.
    calls = getattr(pool, "_call_queue", None)
    if calls is not None:
        calls.cancel_join_thread()
    for process in processes:
        process.kill()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.join(timeout=5)
    if manager is not None:
        manager.join(timeout=5)


def predict(params, X, config):
    """The boundary panels' outputs, from the trainer that trained the runs: (N, 1) P(class 1), or
    (N, K) the softmax probabilities."""
    return scalar_net.predict(params, X, activation=config.activation, leaky_slope=config.leaky_slope)
