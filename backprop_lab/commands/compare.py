"""Train both trainers side by side from the same start and collect what the CLI prints and saves."""

import time
from dataclasses import asdict, dataclass, field

import numpy as np

import matrix_net
import scalar_net
from backprop_lab import machine
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
        super().__init__(f"{trainer} diverged: the loss became {loss} at epoch {epoch}")
        self.trainer, self.epoch = trainer, epoch


def max_abs_diff(params_a, params_b):
    return max(float(np.max(np.abs(a - b))) for a, b in zip(params_a, params_b))


def bitwise_identical(params_a, params_b):
    return all(np.array_equal(a, b) for a, b in zip(params_a, params_b))


def _compile_scalar(params, X, Y, config):
    """Compile (or load from numba's cache) the element-wise trainer; return the seconds it took."""
    start = time.perf_counter()
    scalar_net.train(params, X[:1], Y[:1], **{**config.trainer_options(), "batch_size": 1}, epochs=1)
    return time.perf_counter() - start


def run(config, on_checkpoint=None):
    """Train both trainers in chunks of ``report_every`` epochs; return (X, Y, initial, scalar, matrix, checkpoints).

    Each chunk continues from the previous one's parameters and optimizer state, which gives the
    same numbers as one uninterrupted run.  Raises Diverged when a loss stops being finite.
    """
    X, Y, initial = prepare(config)
    scalar, matrix = TrainerRun(initial), TrainerRun(initial)
    scalar.compile_seconds = _compile_scalar(initial, X, Y, config)
    sides = (("scalar_net", scalar, scalar_net.train, {}),
             ("matrix_net", matrix, matrix_net.train, {"exact": config.exact}))
    checkpoints, worst, done = [], 0.0, 0
    while done < config.epochs:
        chunk = min(config.report_every, config.epochs - done)
        for name, side, train, extra in sides:
            start = time.perf_counter()
            with np.errstate(over="ignore", invalid="ignore"):  # a divergence is reported below
                result = train(side.params, X, Y, epochs=chunk, state=side.state,
                               **config.trainer_options(), **extra)
            side.seconds += time.perf_counter() - start
            side.params, side.state = result.params, result.state
            side.loss.extend(result.loss.tolist())
            side.accuracy.extend(result.accuracy.tolist())
            if result.diverged_at is not None:
                raise Diverged(name, done + result.diverged_at, result.loss[-1])
        done += chunk
        worst = max(worst, max_abs_diff(scalar.params, matrix.params))
        checkpoints.append(Checkpoint(done, scalar.loss[-1], scalar.accuracy[-1],
                                      matrix.loss[-1], matrix.accuracy[-1], worst))
        if on_checkpoint:
            on_checkpoint(checkpoints[-1])
    return X, Y, initial, scalar, matrix, checkpoints


def json_document(config, initial, scalar, matrix):
    """The ``--json`` document; its fields are described in README.md."""
    def side(run):
        return {"params": [p.tolist() for p in run.params], "loss": run.loss, "accuracy": run.accuracy,
                "seconds_per_epoch": run.seconds / config.epochs, "compile_seconds": run.compile_seconds}

    recorded = asdict(config)
    recorded.pop("report_every")
    recorded["hidden"] = list(config.hidden)
    recorded["sizes"] = list(config.sizes)
    return {
        "config": recorded,
        "initial_params": [p.tolist() for p in initial],
        "trainers": {"scalar": side(scalar), "matrix": side(matrix)},
        "max_abs_param_diff": max_abs_diff(scalar.params, matrix.params),
        "bitwise_identical": bitwise_identical(scalar.params, matrix.params),
        "machine": machine.description(),
    }
