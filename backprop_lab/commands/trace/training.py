"""``trace --after-epochs K``: the K epochs of training before the traced step.

Both trainers train from the same start on the same points with the same options, as ``compare``
does with its defaults: the whole data set (no points held out) as one batch, plain gradient
descent at the trace's learning rate, so the traced step continues with the update the epochs
used.  scalar_net and matrix_net (exact mode) must end at the same weights to the last bit, as
the trace checks everything else; the step is traced from scalar_net's.
"""

import time

import numpy as np

import matrix_net
import scalar_net
from backprop_lab.commands import signals
from backprop_lab.commands.trace.step import same_bits
from backprop_lab.network import param_names

#: Each trainer is called for about this many seconds' worth of epochs at a time, so that a Ctrl-C
#: is answered between calls (the compiled loop does not see it).
CALL_SECONDS = 0.5


class Diverged(Exception):
    """The epochs before the step made the loss or a weight infinite or NaN."""


def _train(name, train, params, X, Y, epochs, options):
    """(weights, epoch losses) after ``epochs`` epochs of ``train``, in calls that double in length
    from one epoch until one takes CALL_SECONDS.  Each call continues from the previous one's
    weights and optimizer state, which gives the same numbers as one call."""
    done, calls, state, losses = 0, 1, None, []
    while done < epochs:
        start = time.perf_counter()
        with np.errstate(all="ignore"):  # a divergence is reported below, not as a warning
            result = train(params, X, Y, epochs=min(calls, epochs - done), state=state, **options)
        signals.raise_pending()
        params, state = result.params, result.state
        losses.append(result.loss)
        if result.diverged_at is not None:
            loss = result.loss[-1]  # that of the epoch that diverged
            what = (f"the loss became {loss}" if not np.isfinite(loss)
                    else f"its weights became NaN or infinite (the loss was still {loss:.6g})")
            raise Diverged(f"--after-epochs: {name} diverged at epoch {done + result.diverged_at} of {epochs}: "
                           f"{what}; try a smaller --lr")
        done += result.epochs_run
        if time.perf_counter() - start < CALL_SECONDS:
            calls *= 2
    return params, np.concatenate(losses)


def train(config, X, Y, params, epochs):
    """The weights after ``epochs`` epochs of full-batch SGD on (X, Y) from ``params``, by both
    trainers with ``config``'s options (``config.trainer_options()``: lr, activation, loss, ...).

    Raises Diverged (naming the epoch) when a trainer's loss or weights stop being finite, and
    step.Mismatch unless both trainers' losses and weights agree to the last bit.
    """
    options = {**config.trainer_options(), "batch_size": None, "optimizer": "sgd", "weight_decay": 0.0,
               "stop_at_accuracy": None}
    scalar, scalar_losses = _train("scalar_net", scalar_net.train, params, X, Y, epochs, options)
    matrix, matrix_losses = _train("matrix_net", lambda *a, **k: matrix_net.train(*a, exact=True, **k),
                                   params, X, Y, epochs, options)
    same_bits("the losses of the epochs before the step", "scalar_net", "matrix_net", scalar_losses, matrix_losses)
    for name, a, b in zip(param_names(params), scalar, matrix):
        same_bits(f"{name} after {epochs} epochs", "scalar_net", "matrix_net", a, b)
    return scalar
