"""Train both trainers side by side from the same start and collect what the CLI prints and saves."""

import time
from dataclasses import asdict, dataclass, field

import numpy as np

import matrix_net
import scalar_net
from backprop_lab import machine
from backprop_lab.commands import signals
from backprop_lab.config import prepare
from backprop_lab.classes import accuracy
from backprop_lab.data.split import split_indices

#: Held-out points are evaluated this many times over a run (plus at the start), whatever its length.
TEST_EVALUATIONS = 100


@dataclass
class TrainerRun:
    """One trainer's side of the run."""

    params: list
    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    gradient_norms: list = field(default_factory=list)  # per epoch: [||dL/dW_1||, ..., ||dL/dW_L||]
    state: object = None
    seconds: float = 0.0
    compile_seconds: float = 0.0
    compiled: str = ""  # what those seconds were (scalar_net): one of COMPILE_KINDS
    diverged_at: int | None = None
    # After a divergence: (epoch, params) of the last epoch whose parameters were finite (0: the
    # start), what the figures draw; None otherwise.
    last_finite: tuple | None = None
    step_epochs: int = 1  # epochs per trainer call; see _train_chunk
    # The held-out points, evaluated with this trainer's own predict and loss: after these epochs
    # (0 is the start), their loss and accuracy.  Empty without a test split.
    test_epochs: list = field(default_factory=list)
    test_loss: list = field(default_factory=list)
    test_accuracy: list = field(default_factory=list)


@dataclass
class Checkpoint:
    """The printed line every ``report_every`` epochs."""

    epoch: int
    scalar_loss: float
    scalar_accuracy: float
    matrix_loss: float
    matrix_accuracy: float
    max_abs_param_diff: float  # the largest seen at any checkpoint so far
    # On the held-out points at this epoch (None without a test split).
    scalar_test_loss: float | None = None
    scalar_test_accuracy: float | None = None
    matrix_test_loss: float | None = None
    matrix_test_accuracy: float | None = None


@dataclass
class Comparison:
    """Everything one side-by-side run produced.

    X, Y:            (n, 2), (n, 1) the points both trainers trained on;
    X_test, Y_test:  (k, 2), (k, 1) the held-out points (k = 0 without a test split);
    snapshots:       (epoch, matrix_net's parameters then) at the epochs asked for (animation);
    numbers, test_numbers: (n,), (k,) each point's number in the data set (1 is its first point),
                     so that a held-out point can be found there.
    """

    config: object
    X: np.ndarray
    Y: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray
    initial: list
    scalar: TrainerRun
    matrix: TrainerRun
    checkpoints: list
    snapshots: list = field(default_factory=list)
    numbers: np.ndarray = None
    test_numbers: np.ndarray = None
    diverged: object = None  # the first Diverged, when a trainer diverged


class Diverged(Exception):
    """A trainer's loss or parameters stopped being finite.  ``comparison`` (set by run_split) is
    the run up to there: both trainers trained to the pause where one diverged, each side's
    ``diverged_at`` and ``last_finite`` filled in, so that the run keeps its record."""

    def __init__(self, trainer, epoch, loss):
        what = f"the loss became {loss}" if not np.isfinite(loss) else \
            f"its parameters became NaN or infinite (the loss was still {loss:.6g})"
        super().__init__(f"{trainer} diverged at epoch {epoch}: {what}")
        self.trainer, self.epoch = trainer, epoch
        self.comparison = None


def max_abs_diff(params_a, params_b):
    with np.errstate(over="ignore"):  # two finite parameters near +-1e308 differ by more than a float holds
        return max(float(np.max(np.abs(a - b))) for a, b in zip(params_a, params_b))


def bitwise_identical(params_a, params_b):
    return all(np.array_equal(a, b) for a, b in zip(params_a, params_b))


#: What scalar_net's compile time was spent on, by how numba got the compiled training loop.
COMPILE_KINDS = (
    "compiled",     # numba compiled it and saved it in its cache: the first run, or one after scalar_net changed
    "cache",        # numba loaded it from its cache, where an earlier run saved it
    "uncached",     # numba compiled it and has no cache folder it can write: every run compiles
    "in memory",    # compiled earlier in this process (the Python API, a second run in one session)
    "not compiled",  # NUMBA_DISABLE_JIT=1: the same source runs as plain Python
)


def _loop_counts():
    """(cache hits, cache misses, has a cache) of scalar_net's compiled training loop so far, from
    numba's dispatcher statistics; None when numba does not compile (NUMBA_DISABLE_JIT=1)."""
    from scalar_net.training import train_loop

    stats = getattr(train_loop, "stats", None)  # a plain function without the JIT
    if stats is None:
        return None
    return sum(stats.cache_hits.values()), sum(stats.cache_misses.values()), stats.cache_path is not None


def _compile_scalar(params, X, Y, config):
    """Compile (or load from numba's cache) the element-wise trainer; return (the seconds it took,
    which of COMPILE_KINDS it was).

    Numba counts, per compiled function, each signature it found in its cache (a hit) and each it
    had to compile (a miss); a signature already compiled in this process counts as neither.
    """
    before = _loop_counts()
    start = time.perf_counter()
    scalar_net.train(params, X[:1], Y[:1], **{**config.trainer_options(), "batch_size": 1}, epochs=1)
    seconds = time.perf_counter() - start
    signals.raise_pending()  # a Ctrl-C that landed inside numba's cache loading (see signals)
    after = _loop_counts()
    if after is None:
        return seconds, "not compiled"
    (hits, misses, _), (hits_after, misses_after, cached) = before, after
    if misses_after > misses:
        return seconds, "compiled" if cached else "uncached"
    return seconds, "cache" if hits_after > hits else "in memory"


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
        before, state_before = side.params, side.state
        side.params, side.state = result.params, result.state
        side.loss.extend(result.loss.tolist())
        side.accuracy.extend(result.accuracy.tolist())
        side.gradient_norms.extend(result.gradient_norms.tolist())
        if result.diverged_at is not None:
            epoch = first_epoch + done + result.diverged_at
            side.diverged_at = epoch
            side.last_finite = (epoch - 1, _last_finite(train, before, state_before, X, Y,
                                                        result.diverged_at - 1, options))
            raise Diverged(name, epoch, result.loss[-1])
        done += result.epochs_run
        if result.epochs_run < step:  # stop_at_accuracy was reached
            break
        if elapsed < STEP_SECONDS:
            side.step_epochs *= 2
        if on_progress:
            on_progress(name, first_epoch + done)


def _last_finite(train, params, state, X, Y, epochs, options):
    """The parameters ``epochs`` epochs on from ``params``: the call that diverged at epoch
    ``epochs + 1`` of its own, trained again that far (the trainers check the parameters after
    every epoch, so these are finite; the same call gives the same numbers)."""
    if epochs == 0:
        return params
    with np.errstate(all="ignore"):
        return train(params, X, Y, epochs=epochs, state=state, **options).params


def _evaluate(trainer, params, X, Y, config, extra):
    """(loss, accuracy) of ``params`` on (X, Y) by the trainer's own loss and prediction."""
    shared = dict(activation=config.activation, leaky_slope=config.leaky_slope, **extra)
    with np.errstate(all="ignore"):  # a diverging run is reported by the training, not here
        loss, _ = trainer.batch_gradient(params, X, Y, loss=config.loss, **shared)
        y_hat = trainer.predict(params, X, **shared)
    return float(loss), accuracy(y_hat, Y)


def _stops(config, test_every, snapshot_every):
    """The epochs at which training pauses: checkpoints, test evaluations, snapshots, the end."""
    stops = set(range(config.report_every, config.epochs, config.report_every)) | {config.epochs}
    for every in (test_every, snapshot_every):
        if every:
            stops |= set(range(every, config.epochs, every))
    return sorted(stops)


def run_split(config, on_checkpoint=None, on_progress=None, snapshot_every=None, points=None):
    """Train both trainers from the same start on the points not held out; return a Comparison.

    Training pauses at every checkpoint (``report_every``), every ``epochs / TEST_EVALUATIONS``
    epochs when points are held out (to evaluate them), and every ``snapshot_every`` epochs (to
    keep matrix_net's parameters for the animation).  Each piece continues from the previous
    one's parameters and optimizer state, which gives the same numbers as one uninterrupted run;
    the trainers' update is the same whatever the pauses.  Raises Diverged when a loss or a
    parameter stops being finite.  Both stop at the pause after one of them reaches
    ``config.stop_at_accuracy``.  ``on_progress(trainer or "compiling", epochs done)`` is called
    between calls.  ``points``: (X, Y) of the CSV file ``config.data``, read by the caller.
    """
    X_all, Y_all, initial = prepare(config, points)
    train, test = split_indices(len(X_all), config.test_fraction, config.seed)  # as config.held_out splits
    X, Y, X_test, Y_test = X_all[train], Y_all[train], X_all[test], Y_all[test]
    testing = len(X_test) > 0
    scalar, matrix = TrainerRun(initial), TrainerRun(initial)
    if on_progress:
        on_progress("compiling", 0)
    scalar.compile_seconds, scalar.compiled = _compile_scalar(initial, X, Y, config)
    sides = (("scalar_net", scalar, scalar_net, {}),
             ("matrix_net", matrix, matrix_net, {"exact": config.exact}))
    test_every = max(1, config.epochs // TEST_EVALUATIONS) if testing else None
    snapshots = [(0, initial)] if snapshot_every else []

    def evaluate_test(epoch):
        for _, side, trainer, extra in sides:
            loss, accuracy = _evaluate(trainer, side.params, X_test, Y_test, config, extra)
            side.test_epochs.append(epoch)
            side.test_loss.append(loss)
            side.test_accuracy.append(accuracy)

    if testing:
        evaluate_test(0)
    checkpoints, worst, done = [], 0.0, 0

    def comparison():
        return Comparison(config, X, Y, X_test, Y_test, initial, scalar, matrix, checkpoints, snapshots,
                          numbers=train + 1, test_numbers=test + 1)

    for stop in _stops(config, test_every, snapshot_every):
        diverged = None
        for name, side, trainer, extra in sides:  # both train to the pause, whichever diverges
            try:
                _train_chunk(name, side, trainer.train, X, Y, stop - done, done,
                             {**config.trainer_options(), **extra}, on_progress)
            except Diverged as error:
                diverged = diverged or error
        if diverged is not None:
            diverged.comparison = comparison()
            diverged.comparison.diverged = diverged
            raise diverged
        # --stop-at-accuracy: a side that ran fewer epochs than asked reached the accuracy.
        stopped = min(len(scalar.loss), len(matrix.loss)) < stop
        done = min(len(scalar.loss), len(matrix.loss))
        if testing:
            evaluate_test(done)
        if snapshot_every and (done % snapshot_every == 0 or done == config.epochs or stopped):
            snapshots.append((done, matrix.params))
        if done % config.report_every == 0 or done == config.epochs or stopped:
            worst = max(worst, max_abs_diff(scalar.params, matrix.params))
            tests = ((scalar.test_loss[-1], scalar.test_accuracy[-1], matrix.test_loss[-1], matrix.test_accuracy[-1])
                     if testing else (None,) * 4)
            checkpoints.append(Checkpoint(done, scalar.loss[-1], scalar.accuracy[-1],
                                          matrix.loss[-1], matrix.accuracy[-1], worst, *tests))
            if on_checkpoint:
                on_checkpoint(checkpoints[-1])
        if stopped:
            break
    return comparison()


def _finite_or_none(value):
    return value if np.isfinite(value) else None


def _strict(values):
    """Nested lists of floats with NaN and infinities as None: strict JSON has neither."""
    if isinstance(values, list):
        return [_strict(v) for v in values]
    return _finite_or_none(values)


def json_document(config, initial, scalar, matrix, test_points=0, training_points=None, diverged=None):
    """The ``--json`` document; its fields are described in docs/compare.md.  ``diverged``: the
    Diverged that stopped the run, if one did; the document then holds the run up to it."""
    def side(run):
        doc = {"params": _strict([p.tolist() for p in run.params]), "loss": _strict(run.loss),
               "accuracy": run.accuracy, "gradient_norms": _strict(run.gradient_norms),
               "seconds_per_epoch": run.seconds / max(len(run.loss), 1),
               "compile_seconds": run.compile_seconds}
        if diverged is not None:
            doc["diverged_at"] = run.diverged_at
            if run.last_finite is not None:
                epoch, params = run.last_finite
                doc["last_finite"] = {"epoch": epoch, "params": [p.tolist() for p in params]}
        if run.test_epochs:
            doc["test"] = {"epochs": run.test_epochs, "loss": [_finite_or_none(v) for v in run.test_loss],
                           "accuracy": run.test_accuracy}
        return doc

    recorded = asdict(config)
    recorded.pop("report_every")
    recorded.pop("print_samples")
    recorded["hidden"] = list(config.hidden)
    recorded["sizes"] = list(config.sizes)
    document = {
        "config": recorded,
        "initial_params": [p.tolist() for p in initial],
        "trainers": {"scalar": side(scalar), "matrix": side(matrix)},
        # null where the difference is beyond the largest float: strict JSON has no infinity
        "max_abs_param_diff": _finite_or_none(max_abs_diff(scalar.params, matrix.params)),
        "bitwise_identical": bitwise_identical(scalar.params, matrix.params),
        "machine": machine.description(),
    }
    if training_points is not None:
        document["points"] = {"training": training_points, "test": test_points}
    if diverged is not None:
        document["diverged"] = {"trainer": diverged.trainer, "epoch": diverged.epoch, "message": str(diverged)}
    return document
