"""What an experiment reports per setting over its seeds, and the per-epoch curves it draws.

A diverged run is never dropped: it is counted, its final loss enters the loss statistics as
infinity (so a median is infinite when half the runs or more diverged), and its final accuracy is
the one measured in the epoch in which it diverged.
"""

import math
import warnings
from dataclasses import dataclass

import numpy as np


@dataclass
class Summary:
    """One setting over its seeds.  Epochs are 1-based, as printed."""

    runs: int
    loss_median: float
    loss_min: float
    loss_max: float
    accuracy_median: float
    accuracy_min: float
    accuracy_max: float
    reached_100: int  # runs whose training accuracy reached 100% in some epoch
    epoch_100_median: float | None  # median of the first such epoch, over those runs
    diverged: int
    diverged_epochs: list  # the epoch at which each diverged run did, in seed order
    # With held-out points: the final test accuracy over the runs that did not diverge (None without).
    test_accuracy_median: float | None = None
    test_accuracy_min: float | None = None
    test_accuracy_max: float | None = None


def first_perfect_epoch(accuracy):
    """The first (1-based) epoch whose accuracy is 100%, or None."""
    hits = np.flatnonzero(np.asarray(accuracy) >= 1.0)
    return int(hits[0]) + 1 if hits.size else None


def final_loss(run):
    """The last epoch's loss; infinity for a diverged run (its last loss is NaN or infinite)."""
    return math.inf if run.diverged_at is not None else float(run.loss[-1])


def summarise(runs):
    """The Summary of a list of seed_runs.RunResult (one setting)."""
    losses = np.array([final_loss(r) for r in runs])
    accuracies = np.array([float(r.accuracy[-1]) for r in runs])
    perfect = [e for e in (first_perfect_epoch(r.accuracy) for r in runs) if e is not None]
    return Summary(
        runs=len(runs),
        loss_median=float(np.median(losses)), loss_min=float(losses.min()), loss_max=float(losses.max()),
        accuracy_median=float(np.median(accuracies)), accuracy_min=float(accuracies.min()),
        accuracy_max=float(accuracies.max()),
        reached_100=len(perfect), epoch_100_median=float(np.median(perfect)) if perfect else None,
        diverged=sum(r.diverged_at is not None for r in runs),
        diverged_epochs=[r.diverged_at for r in runs if r.diverged_at is not None],
        **_test_accuracy(runs))


def _test_accuracy(runs):
    tested = [r.test_accuracy for r in runs if r.test_accuracy is not None]
    if not tested:
        return {}
    return dict(test_accuracy_median=float(np.median(tested)), test_accuracy_min=float(min(tested)),
                test_accuracy_max=float(max(tested)))


def curves(runs, epochs, key):
    """(seeds, epochs) array of ``key`` ('loss' or 'accuracy') per run and epoch.

    After a run diverged its loss is +inf (it is worse than any finite loss); after it stopped
    early (--stop-at-accuracy), or for its accuracy after it diverged, the entries are NaN (no
    value: statistics over epochs skip them).
    """
    table = np.full((len(runs), epochs), np.nan)
    for row, run in zip(table, runs):
        values = np.asarray(getattr(run, key), dtype=float)
        row[: values.size] = values
        if run.diverged_at is not None:
            if key == "loss":
                row[run.diverged_at - 1:] = np.inf
            else:
                row[run.diverged_at - 1:] = np.nan
    return table


def band(table):
    """Per epoch: (median, lowest, highest) over the runs that have a value there, NaN where none."""
    with warnings.catch_warnings():  # "All-NaN slice": an epoch that no run reached is NaN, as meant
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmedian(table, axis=0), np.nanmin(table, axis=0), np.nanmax(table, axis=0)
