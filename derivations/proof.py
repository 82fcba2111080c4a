"""A claimed equality and sympy's verdict on it.

A claim ``lhs = rhs`` counts as proved when sympy reduces ``lhs - rhs`` to exactly 0.  Two
reductions are used:

* ``expand`` for the network gradients: both sides are polynomials in the parameters, the inputs
  and unevaluated activation functions, so expanding the difference is a complete check (two
  polynomials are equal exactly when their expanded difference is 0), and it is fast;
* ``simplify`` for the one-variable lemmas written with ``exp`` and ``log``, where expanding alone
  cannot see identities such as ``e^z / (1 + e^z) = 1 / (1 + e^-z)``.
"""

from dataclasses import dataclass

import sympy as sp


@dataclass(frozen=True)
class Claim:
    """``lhs = rhs``; ``residual`` is what sympy reduced ``lhs - rhs`` to (0 when proved)."""

    lhs: sp.Expr
    rhs: sp.Expr
    residual: sp.Expr

    @property
    def proved(self):
        if isinstance(self.residual, sp.MatrixBase):
            return all(entry == 0 for entry in self.residual)
        return self.residual == 0


def by_expanding(lhs, rhs):
    """The claim lhs = rhs (expressions or matrices), checked by expanding the difference."""
    difference = lhs - rhs
    if isinstance(difference, sp.MatrixBase):
        return Claim(lhs, rhs, difference.applyfunc(sp.expand))
    return Claim(lhs, rhs, sp.expand(difference))


def by_simplifying(lhs, rhs):
    """The claim lhs = rhs, checked with sympy's general ``simplify`` (for exp/log identities)."""
    return Claim(lhs, rhs, sp.simplify(lhs - rhs))
