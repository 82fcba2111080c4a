"""Entry by entry, how far a student's gradients are from the reference and from the finite
differences: per parameter, right or wrong, the largest errors and where they are.

Tolerances: a student's arithmetic may sum in another order than scalar_net, which moves the last
bits (about 1e-16 of a number), never the sixth digit.  ``scale`` is the batch's largest reference
entry, so that an entry whose right value is 0 is judged against the gradient's size.  The finite
differences are good to about 1e-10 whatever the gradient's size: their rounding error is that
of the loss divided by the step (backprop_lab.check.finite_differences), so their tolerance has
a floor, ``differences_floor``, besides the relative part.
"""

from dataclasses import dataclass

import numpy as np

REFERENCE_RTOL, REFERENCE_ATOL = 1e-6, 1e-9
DIFFERENCES_RTOL, DIFFERENCES_ATOL = 1e-5, 1e-7


def differences_floor(loss, step):
    """The absolute error the finite differences of a loss of size ``loss`` may have: a hundred
    roundings of the loss, divided by the step."""
    return 100 * np.finfo(np.float64).eps * max(1.0, abs(loss)) / step


def scale(gradients):
    """The largest |entry| of a batch's gradients (1 if they are all 0)."""
    largest = max((float(np.max(np.abs(g))) for g in gradients if g.size), default=0.0)
    return largest if largest > 0 else 1.0


def close(actual, expected, scale, rtol=REFERENCE_RTOL, atol=REFERENCE_ATOL, floor=0.0):
    """Entry by entry: |actual - expected| <= rtol |expected| + atol scale + floor (NaN and inf never are)."""
    actual, expected = np.asarray(actual, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        return np.isfinite(actual) & (np.abs(actual - expected) <= rtol * np.abs(expected) + atol * scale + floor)


def all_close(actual, expected, scale, **tolerance):
    return bool(np.all(close(actual, expected, scale, **tolerance)))


@dataclass
class Agreement:
    """One parameter's verdict over every batch.

    ok:         every entry close to the reference and to the finite differences, on every batch.
    finite:     no entry is NaN or infinite.
    abs_error:  the largest |yours - reference|; rel_error the largest |yours - reference| / |reference|
                over the entries whose reference is not 0 (None if there are none).
    where:      (m, index): the batch size and the index (rows) of the entry farthest outside the
                tolerance, or of the largest error when all are inside it.
    first_wrong: (m, index) of the first entry outside it, batches in order, entries row by row; None.
    differences_error: the largest |yours - finite differences|; differences_ok: all within theirs.
    """

    name: str
    ok: bool
    finite: bool
    abs_error: float
    rel_error: float | None
    where: tuple
    first_wrong: tuple | None
    differences_error: float
    differences_ok: bool


def agreement(name, sizes, yours, references, differences, scales, floors):
    """The Agreement of one parameter; ``sizes`` the batches' m, the others lists over the batches
    (row layout; ``scales`` each batch's ``scale`` of its reference gradients, ``floors`` its
    ``differences_floor``)."""
    abs_error, rel_error, worst, where, first_wrong = 0.0, None, -1.0, None, None
    differences_error, differences_ok, finite, ok = 0.0, True, True, True
    for m, y, r, d, s, floor in zip(sizes, yours, references, differences, scales, floors):
        with np.errstate(invalid="ignore", over="ignore"):
            error = np.abs(y - r)
            finite &= bool(np.all(np.isfinite(y)))
            right = close(y, r, s)
            ok &= bool(np.all(right))
            if first_wrong is None and not np.all(right):
                first_wrong = (m, tuple(int(i) for i in np.argwhere(~right)[0]))
            bad = np.where(np.isfinite(error), error, np.inf)
            abs_error = max(abs_error, float(np.max(bad)))
            nonzero = np.abs(r) > REFERENCE_ATOL * s
            if np.any(nonzero):
                rel = float(np.max(bad[nonzero] / np.abs(r[nonzero])))
                rel_error = rel if rel_error is None else max(rel_error, rel)
            ratio = bad / (REFERENCE_RTOL * np.abs(r) + REFERENCE_ATOL * s)
            k = np.unravel_index(int(np.argmax(ratio)), ratio.shape) if ratio.size else ()
            if ratio.size and float(ratio[k]) > worst:
                worst, where = float(ratio[k]), (m, tuple(int(i) for i in k))
            d_error = np.abs(y - d)
            differences_error = max(differences_error, float(np.max(np.where(np.isfinite(d_error), d_error, np.inf))))
            differences_ok &= all_close(y, d, s, rtol=DIFFERENCES_RTOL, atol=DIFFERENCES_ATOL, floor=floor)
    return Agreement(name, ok and differences_ok, finite, abs_error, rel_error, where, first_wrong,
                     differences_error, differences_ok)
