"""The text that ``backprop-lab compare`` prints."""

import numpy as np

import matrix_net
import scalar_net
from backprop_lab import classes
from backprop_lab.commands.compare.run import bitwise_identical, max_abs_diff
from backprop_lab.data import size
from backprop_lab.formatting import duration


def header(config, points=None, test_points=0, lr_note=""):
    """The run's first line; ``points`` (all of them, test included) defaults to the data set's size;
    ``lr_note`` says where the step size came from, when it is not what the recipe says."""
    net = "-".join(map(str, config.sizes))
    points = size(config.dataset, config.samples) if points is None else points
    held = f", {test_points} held out for testing" if test_points else ""
    noise = f", noise {config.noise:g}" if config.noise else ""
    data = f"{config.data_name} ({points} points{held}{noise})"
    batch = "full batch" if config.batch_size is None else f"batch size {config.batch_size}"
    optimizer = config.optimizer
    if optimizer == "momentum" and config.momentum_form == "average":
        optimizer += " (averaged: v ← βv + (1 − β)g)"
    return (f"{data}, network {net} {'with' if config.bias else 'without'} bias, "
            f"{config.activation} hidden / {output_text(config)} output, {config.loss} loss, {optimizer}, "
            f"lr {config.lr:g}{f' ({lr_note})' if lr_note else ''}{f', weight decay {config.weight_decay:g}' if config.weight_decay else ''}, "
            f"{batch}, {config.epochs} epochs"
            f"{f' (or until {config.stop_at_accuracy:.0%} accuracy)' if config.stop_at_accuracy else ''}, seed {config.seed}, init {config.init}, "
            f"matrix product: {'exact (fixed summation order)' if config.exact else 'BLAS'}")


def output_text(config):
    """The output layer in words: 'sigmoid' (two classes) or 'softmax over K classes'."""
    return "sigmoid" if config.classes == 2 else f"softmax over {config.classes} classes"


CHECKPOINT_HEADER = (f"{'epoch':>8}  {'scalar_net loss':>16} {'acc':>7}  "
                     f"{'matrix_net loss':>16} {'acc':>7}  {'max |param diff| so far':>24}")
_TEST_COLUMNS = f"  {'test loss':>10} {'acc':>7}"


def checkpoint_header(testing=False):
    """The table's heading; with held-out points each trainer gets test loss and accuracy columns."""
    if not testing:
        return CHECKPOINT_HEADER
    return (f"{'epoch':>8}  {'scalar_net loss':>16} {'acc':>7}{_TEST_COLUMNS}  "
            f"{'matrix_net loss':>16} {'acc':>7}{_TEST_COLUMNS}  {'max |param diff| so far':>24}")


def checkpoint_line(c):
    if c.scalar_test_loss is None:
        return (f"{c.epoch:>8}  {c.scalar_loss:>16.10e} {c.scalar_accuracy:>7.1%}  "
                f"{c.matrix_loss:>16.10e} {c.matrix_accuracy:>7.1%}  {c.max_abs_param_diff:>24.3e}")
    return (f"{c.epoch:>8}  {c.scalar_loss:>16.10e} {c.scalar_accuracy:>7.1%}  "
            f"{c.scalar_test_loss:>10.4e} {c.scalar_test_accuracy:>7.1%}  "
            f"{c.matrix_loss:>16.10e} {c.matrix_accuracy:>7.1%}  "
            f"{c.matrix_test_loss:>10.4e} {c.matrix_test_accuracy:>7.1%}  {c.max_abs_param_diff:>24.3e}")


def predictions(config, X, scalar, matrix):
    """Each trainer's own y_hat (n, 1) for its final parameters."""
    shared = dict(activation=config.activation, leaky_slope=config.leaky_slope)
    # Finite but huge weights (a run at --lr 1e200 that has not diverged) overflow z to +-inf on
    # the way; the sigmoid maps that to 0 or 1, the prediction, so NumPy's warning is not news.
    with np.errstate(over="ignore", invalid="ignore"):
        return {"scalar_net": scalar_net.predict(scalar.params, X, **shared),
                "matrix_net": matrix_net.predict(matrix.params, X, exact=config.exact, **shared)}


class Progress:
    """A status line on a terminal's stderr while a slow run trains between its printed lines.

    It appears only after QUIET_SECONDS without output and is rewritten in place (never on a
    stream that is not a terminal, where it would fill a log); ``clear()`` erases it before the
    next line of output.
    """

    QUIET_SECONDS = 2.0

    def __init__(self, stream, epochs, clock=None):
        import time

        self.stream, self.epochs = stream, epochs
        self.clock = clock or time.monotonic
        self.since = self.clock()
        self.shown = False
        self.active = bool(getattr(stream, "isatty", lambda: False)())

    def update(self, trainer, epoch):
        if not self.active or self.clock() - self.since < self.QUIET_SECONDS:
            return
        doing = "compiling scalar_net (Numba caches it for later runs)" if trainer == "compiling" else \
            f"{trainer}: epoch {epoch} of {self.epochs} ({epoch / self.epochs:.0%})"
        self.stream.write(f"\r\x1b[K{doing}, Ctrl-C stops")
        self.stream.flush()
        self.shown = True

    def clear(self):
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False
        self.since = self.clock()


#: Above this, the final weights' difference is no longer BLAS's last bits alone: training
#: amplified them (docs/exactness.md).  Stable runs end near 1e-14, whatever their length.
AMPLIFIED = 1e-9

#: The compile-time line's parenthesis, by how scalar_net's compiled code was had (run.COMPILE_KINDS).
COMPILED = {
    "compiled": "numba compiled it and saved it in its cache: the next run loads it from there",
    "cache": "loaded from numba's cache, where an earlier run saved it",
    "uncached": "numba compiled it; it has no cache folder it can write, so every run compiles again",
    "in memory": "compiled earlier in this process",
    "not compiled": "NUMBA_DISABLE_JIT=1: plain Python, nothing compiled",
}


def _weights_line(config, scalar, matrix):
    """How far apart the trainers' final weights are, and why."""
    if bitwise_identical(scalar.params, matrix.params):
        return f"final weights: bitwise identical after {len(scalar.loss)} epochs"
    diff = max_abs_diff(scalar.params, matrix.params)
    if config.exact:
        why = ""
    elif diff <= AMPLIFIED:
        why = " (BLAS sums in another order; --exact makes them bitwise identical)"
    else:
        why = (" (BLAS sums in another order, and training amplified that last-bit difference: the two nets "
               "took different paths, can end far apart and both be right; --exact removes it)")
    return f"final weights: largest difference {diff:.3e}{why}"


def summary(config, comparison, y_hat):
    """Timings, the weight comparison, and the lab-style per-sample lines (y_hat: predictions())."""
    X, Y, scalar, matrix = comparison.X, comparison.Y, comparison.scalar, comparison.matrix
    per_scalar, per_matrix = scalar.seconds / len(scalar.loss), matrix.seconds / len(matrix.loss)
    faster, slower = ("scalar_net", "matrix_net") if per_scalar <= per_matrix else ("matrix_net", "scalar_net")
    ratio = max(per_scalar, per_matrix) / min(per_scalar, per_matrix)
    lines = [""]
    if len(scalar.loss) < config.epochs:
        lines.append(f"stopped after epoch {len(scalar.loss)}: training accuracy reached "
                     f"{config.stop_at_accuracy:.0%} (--stop-at-accuracy)")

    def time(seconds):  # compare prints ASCII only, so that its lines print on any terminal
        return duration(seconds, ascii=True)

    compiled = "none" if scalar.compiled == "not compiled" else time(scalar.compile_seconds)
    lines += [
        f"time per epoch: scalar_net {time(per_scalar)}, matrix_net {time(per_matrix)} "
        f"({faster} is {ratio:.1f}x faster than {slower})",
        f"compile time (excluded above): scalar_net {compiled} ({COMPILED[scalar.compiled]}), matrix_net none",
        _weights_line(config, scalar, matrix),
    ]
    lines += _sample_lines("sample", "samples", X, Y, y_hat, config.print_samples, comparison.numbers)
    accuracy = {name: classes.accuracy(p, Y) for name, p in y_hat.items()}
    lines.append(f"accuracy: scalar_net {accuracy['scalar_net']:.2%}, matrix_net {accuracy['matrix_net']:.2%}")
    return "\n".join(lines)


def _sample_lines(heading, what, X, Y, y_hat, limit, numbers=None):
    """The lab-style lines: a blank line, the header, then each point (by ``numbers``, its number in
    the data set; default 1, 2, ...), its truth and each trainer's y_hat, the first ``limit`` of
    them (the rest counted).  None at all for a limit of 0."""
    if limit == 0:
        return []
    numbers = range(1, X.shape[0] + 1) if numbers is None else numbers
    shown = min(X.shape[0], limit)
    if X.shape[1] != 2 or y_hat["scalar_net"].shape[1] != 1:
        lines = _class_lines(heading, Y, y_hat, shown, numbers)
    else:
        lines = ["", f"{heading:>6}  {'x0':>6} {'x1':>6}  {'truth':>5}  {'scalar_net':>12}  {'matrix_net':>12}"]
        for s in range(shown):
            lines.append(f"{numbers[s]:>6}  {X[s, 0]:6.3f} {X[s, 1]:6.3f}  {int(Y[s, 0]):>5}  "
                         f"{y_hat['scalar_net'][s, 0]:12.8f}  {y_hat['matrix_net'][s, 0]:12.8f}")
    if shown < X.shape[0]:
        lines.append(f"   ... {X.shape[0] - shown} more {what} not shown (--print-samples N shows N)")
    return lines


def _class_lines(heading, Y, y_hat, shown, numbers):
    """The sample lines of data that are not the plane's two coordinates and two classes: each
    point's truth and each trainer's predicted class with the probability it gives it."""
    lines = ["", f"{heading:>6}  {'truth':>5}  {'scalar_net class (p)':>20}  {'matrix_net class (p)':>20}"]
    guesses = {name: (classes.predicted(p)[:, 0], classes.confidence(p)) for name, p in y_hat.items()}
    for s in range(shown):
        cells = [f"{int(guesses[name][0][s]):>11} ({guesses[name][1][s]:.6f})" for name in ("scalar_net", "matrix_net")]
        lines.append(f"{numbers[s]:>6}  {int(Y[s, 0]):>5}  {cells[0]:>20}  {cells[1]:>20}")
    return lines


def test_summary(config, comparison, y_hat_train):
    """The held-out points, one line each (numbered as in the data set), then their accuracy beside
    the training accuracy."""
    X, Y = comparison.X_test, comparison.Y_test
    y_hat = predictions(config, X, comparison.scalar, comparison.matrix)
    lines = _sample_lines("test", "held-out points", X, Y, y_hat, config.print_samples, comparison.test_numbers)
    train = {name: classes.accuracy(p, comparison.Y) for name, p in y_hat_train.items()}
    test = {name: classes.accuracy(p, Y) for name, p in y_hat.items()}
    gap = train["matrix_net"] - test["matrix_net"]
    lines.append(f"test accuracy on {len(X)} held-out points: scalar_net {test['scalar_net']:.2%}, "
                 f"matrix_net {test['matrix_net']:.2%} (training points: {train['scalar_net']:.2%}, "
                 f"{train['matrix_net']:.2%})")
    if gap > 0:  # both trainers hold the same network, to rounding: speak of the network
        lines.append(f"scored on its training points only, as lab reports do, the network would look "
                     f"{gap * 100:.1f} percentage points better than on points it has not seen")
    else:
        lines.append("the network does as well on points it has not seen as on those it trained on")
    return "\n".join(lines)
