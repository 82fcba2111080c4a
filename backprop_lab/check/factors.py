"""Gradients that are the reference times a constant: the loss conventions students use, and the
constants that are mistakes.

The package's loss has a 1/m and no 1/2 (backprop_lab.conventions).  Students' notes write the
same loss with other constants, and their gradients are then the reference times that constant,
which is right for their loss: 1/2 for half the mean of squares (Nielsen's and Mazur's
``½·(ŷ − y)²``), m for a sum over the samples without the 1/m, m/2 for half the sum.  Any other
constant, a negative one included, is a mistake; its form in m (the same on every batch, or
growing or shrinking with m) says which.
"""

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from backprop_lab.check.comparison import all_close


@dataclass(frozen=True)
class LossConvention:
    name: str           # the constant, as the report writes it: "1/2", "m", "m/2"
    loss: str           # the loss it belongs to ("mse", "bce", "half-mse")
    numerator: float    # the constant is numerator * m**power
    power: int
    description: str

    def constant(self, m):
        return self.numerator * m ** self.power


PACKAGE = LossConvention("1", "any", 1.0, 0, "the package's loss, with its 1/m")

CONVENTIONS = (
    LossConvention("1/2", "mse", 0.5, 0, "½·mean of squares, L = (1/2m)·Σ (ŷ − y)² (Nielsen's and Mazur's)"),
    LossConvention("m", "mse", 1.0, 1, "a summed loss, L = Σ (ŷ − y)² without the 1/m"),
    LossConvention("m/2", "mse", 0.5, 1, "½·sum of squares, L = ½·Σ (ŷ − y)²"),
    LossConvention("m", "half-mse", 1.0, 1, "½·sum of squares, L = ½·Σ (ŷ − y)², without half-mse's 1/m"),
    LossConvention("m", "bce", 1.0, 1, "a summed cross-entropy, L = −Σ [y log ŷ + (1 − y) log(1 − ŷ)] without the 1/m"),
)


def conventions_for(loss):
    """The package's convention first, then the students' ones for ``loss``."""
    return [PACKAGE] + [c for c in CONVENTIONS if c.loss == loss]


def matching_convention(loss, sizes, yours, references, scales):
    """The convention under which the most (parameter, batch) pairs agree with the reference, the
    package's on a tie or when none does.

    yours, references: per batch, the list of gradients (row layout); sizes: each batch's m.
    """
    best, best_count = PACKAGE, 0
    for convention in conventions_for(loss):
        count = sum(all_close(y, convention.constant(m) * r, s)
                    for m, ys, rs, s in zip(sizes, yours, references, scales) for y, r in zip(ys, rs))
        if count > best_count:
            best, best_count = convention, count
    return best


def fitted(ys, rs, scale):
    """c such that every gradient in ys is c times its reference in rs, or None."""
    y = np.concatenate([np.ravel(g) for g in ys])
    r = np.concatenate([np.ravel(g) for g in rs])
    if not np.all(np.isfinite(y)) or not np.any(r):
        return None
    c = float(y @ r / (r @ r))
    return c if c != 0 and all_close(y, c * r, scale) else None


def nice(c):
    """c as the report writes it: a short fraction where one fits (2, 1/2, -1/4), else 4 digits."""
    f = Fraction(c).limit_denominator(64)
    if abs(float(f) - c) <= 1e-9 * abs(c):
        return str(f)
    return f"{c:.4g}"


@dataclass
class Factor:
    """The whole gradient is a constant times the reference on every batch.

    constant: its form, "2", "-1", "1/m", "-m/2" ...; convention: the LossConvention whose constant
    it is, up to the sign, or None; sign_flipped: negative.  Right only for a convention's constant
    with its sign.
    """

    constant: str
    convention: LossConvention | None
    sign_flipped: bool

    @property
    def right(self):
        return self.convention is not None and not self.sign_flipped


def whole_gradient_factor(loss, sizes, yours, references, scales):
    """The Factor of a gradient that is c(m) times the reference on every batch, c not 1; else None.

    c(m) must have one form over the batches: the same number k, or k·m, or k/m.
    """
    cs = [fitted(ys, rs, s) for ys, rs, s in zip(yours, references, scales)]
    if any(c is None for c in cs):
        return None
    for power, form in ((0, "{k}"), (1, "{k}·m"), (-1, "{k}/m")):
        ks = [c / m ** power for c, m in zip(cs, sizes)]
        if all(abs(k - ks[0]) <= 1e-6 * abs(ks[0]) for k in ks):
            k = ks[0]
            if power == 0 and abs(k - 1) <= 1e-6:
                return None
            for convention in conventions_for(loss):
                if convention.power == power and abs(convention.numerator - abs(k)) <= 1e-6:
                    break
            else:
                convention = None
            text = nice(k)
            if power:
                text = {"1": "m", "-1": "-m"}.get(text, form.format(k=text)) if power == 1 else form.format(k=text)
            if convention is not None:
                text = ("-" if k < 0 else "") + convention.name
            return Factor(text, convention, k < 0)
    return None
