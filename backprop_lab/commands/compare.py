"""Train both trainers side by side from the same start and collect what the CLI prints and saves."""

import time
from dataclasses import asdict, dataclass, field

import numpy as np

import matrix_net
import scalar_net
from backprop_lab import machine
from backprop_lab.commands import signals
from backprop_lab.config import prepare


@dataclass
class TrainerRun:
    """One trainer's side of the run."""

    params: list
    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    state: object = None
    seconds: float = 0.0
    compile_seconds: float = 0.0
    diverged_at: int | None = None
    step_epochs: int = 1  # epochs per trainer call; see _train_chunk


@dataclass
class Checkpoint:
    """The printed line every ``report_every`` epochs."""

    epoch: int
    scalar_loss: float
    scalar_accuracy: float
    matrix_loss: float
    matrix_accuracy: float
    max_abs_param_diff: float  # the largest seen at any checkpoint so far


class Diverged(Exception):
    def __init__(self, trainer, epoch, loss):
        what = f"the loss became {loss}" if not np.isfinite(loss) else \
            f"its parameters became NaN or infinite (the loss was still {loss:.6g})"
        super().__init__(f"{trainer} diverged at epoch {epoch}: {what}")
        self.trainer, self.epoch = trainer, epoch


def max_abs_diff(params_a, params_b):
    with np.errstate(over="ignore"):  # two finite parameters near +-1e308 differ by more than a float holds
        return max(float(np.max(np.abs(a - b))) for a, b in zip(params_a, params_b))


def bitwise_identical(params_a, params_b):
    return all(np.array_equal(a, b) for a, b in zip(params_a, params_b))


def _compile_scalar(params, X, Y, config):
    """Compile (or load from numba's cache) the element-wise trainer; return the seconds it took."""
    start = time.perf_counter()
    scalar_net.train(params, X[:1], Y[:1], **{**config.trainer_options(), "batch_size": 1}, epochs=1)
    signals.raise_pending()  # a Ctrl-C that landed inside numba's cache loading (see signals)
    return time.perf_counter() - start


#: Each trainer is called for this many seconds' worth of epochs at a time (at most a checkpoint's
#: worth), so that a slow run can show its progress between calls; see run().
STEP_SECONDS = 0.5


def _train_chunk(name, side, train, X, Y, epochs, first_epoch, options, on_progress):
    """Train ``side`` for ``epochs`` more epochs, in calls of about STEP_SECONDS each.

    Calls continue from the previous one's parameters and optimizer state, which gives the same
    numbers as one call; a call's length doubles from one epoch until it takes STEP_SECONDS.
    """
    done = 0
    while done < epochs:
        step = min(epochs - done, side.step_epochs)
        start = time.perf_counter()
        with np.errstate(all="ignore"):  # a divergence is reported below, not as a warning
            result = train(side.params, X, Y, epochs=step, state=side.state, **options)
        elapsed = time.perf_counter() - start
        signals.raise_pending()
        side.seconds += elapsed
        side.params, side.state = result.params, result.state
        side.loss.extend(result.loss.tolist())
        side.accuracy.extend(result.accuracy.tolist())
        if result.diverged_at is not None:
            raise Diverged(name, first_epoch + done + result.diverged_at, result.loss[-1])
        done += result.epochs_run
        if result.epochs_run < step:  # stop_at_accuracy was reached
            break
        if elapsed < STEP_SECONDS:
            side.step_epochs *= 2
        if on_progress:
            on_progress(name, first_epoch + done)


def run(config, on_checkpoint=None, on_progress=None):
    """Train both trainers in chunks of ``report_every`` epochs; return (X, Y, initial, scalar, matrix, checkpoints).

    Each chunk continues from the previous one's parameters and optimizer state, which gives the
    same numbers as one uninterrupted run.  Raises Diverged when a loss or a parameter stops
    being finite.  ``on_progress(trainer or "compiling", epochs done)`` is called between calls.
    Both stop after the chunk in which one of them reaches ``config.stop_at_accuracy``.
    """
    X, Y, initial = prepare(config)
    scalar, matrix = TrainerRun(initial), TrainerRun(initial)
    if on_progress:
        on_progress("compiling", 0)
    scalar.compile_seconds = _compile_scalar(initial, X, Y, config)
    sides = (("scalar_net", scalar, scalar_net.train, {}),
             ("matrix_net", matrix, matrix_net.train, {"exact": config.exact}))
    checkpoints, worst, done = [], 0.0, 0
    while done < config.epochs:
        chunk = min(config.report_every, config.epochs - done)
        for name, side, train, extra in sides:
            _train_chunk(name, side, train, X, Y, chunk, done, {**config.trainer_options(), **extra}, on_progress)
        # --stop-at-accuracy: a side that ran fewer epochs than the chunk reached the accuracy.
        stopped = min(len(scalar.loss), len(matrix.loss)) < done + chunk
        done = min(len(scalar.loss), len(matrix.loss))
        worst = max(worst, max_abs_diff(scalar.params, matrix.params))
        checkpoints.append(Checkpoint(done, scalar.loss[-1], scalar.accuracy[-1],
                                      matrix.loss[-1], matrix.accuracy[-1], worst))
        if on_checkpoint:
            on_checkpoint(checkpoints[-1])
        if stopped:
            break
    return X, Y, initial, scalar, matrix, checkpoints


def _finite_or_none(value):
    return value if np.isfinite(value) else None


def json_document(config, initial, scalar, matrix):
    """The ``--json`` document; its fields are described in README.md."""
    def side(run):
        return {"params": [p.tolist() for p in run.params], "loss": run.loss, "accuracy": run.accuracy,
                "seconds_per_epoch": run.seconds / len(run.loss), "compile_seconds": run.compile_seconds}

    recorded = asdict(config)
    recorded.pop("report_every")
    recorded.pop("print_samples")
    recorded["hidden"] = list(config.hidden)
    recorded["sizes"] = list(config.sizes)
    return {
        "config": recorded,
        "initial_params": [p.tolist() for p in initial],
        "trainers": {"scalar": side(scalar), "matrix": side(matrix)},
        # null where the difference is beyond the largest float: strict JSON has no infinity
        "max_abs_param_diff": _finite_or_none(max_abs_diff(scalar.params, matrix.params)),
        "bitwise_identical": bitwise_identical(scalar.params, matrix.params),
        "machine": machine.description(),
    }
