"""A student's two forms against each other (``backprop-lab check --compare A.py B.py``).

Both files are checked as usual; then their gradients on the same parameters and batches are
compared with each other: equal to the last bit, or how far apart and where.  An element-wise
and a matrix form of the same algorithm usually differ in the last bits only, because they sum
in another order (the package's trainers agree to the last bit by keeping one order: README).
"""

from dataclasses import dataclass

import numpy as np

from backprop_lab.check.report import CANNOT_CHECK, wrap


@dataclass
class Comparison:
    """first, second: the two Reports; equal_bits: True, False, or None when one could not be
    checked; difference: the largest |first - second|; where: (parameter, m, index in rows).

    Printed: the whole report of each file that is not right, then the two against each other.
    """

    first: object
    second: object
    equal_bits: bool | None = None
    difference: float | None = None
    where: tuple | None = None

    @property
    def status(self):
        return max(self.first.status, self.second.status)

    def summary(self):
        """The two against each other, and each one's verdict."""
        a, b = self.first.what, self.second.what
        lines = [f"{a} and {b}, against each other:"]
        if self.equal_bits is None:
            lines.append("  not compared: " + " and ".join(r.what for r in (self.first, self.second)
                                                          if r.status == CANNOT_CHECK) + " could not be checked")
        elif self.equal_bits:
            lines.append("  equal to the last bit, every entry on every batch")
        else:
            name, m, index = self.where
            shown = "[" + ",".join(map(str, self.first.layout.index(index))) + "]"
            rounding = (": rounding only, both being right (sums taken in another order)"
                        if self.first.ok and self.second.ok else "")
            lines += wrap(f"they differ: the largest difference is {self.difference:.1e}, in dL/d{name}{shown} on "
                          f"the batch of {m} sample{'s' if m > 1 else ''}{rounding}", indent=2)
        verdicts = {True: "right", False: "wrong", None: "not checked"}
        lines += wrap(f"{a}: {verdicts[self.first.ok]}; {b}: {verdicts[self.second.ok]}", indent=2)
        return "\n".join(lines) + "\n"

    def shown_reports(self):
        """The reports printed in full: those of the files that are not right (a right file's
        report would only repeat "right")."""
        return [r for r in (self.first, self.second) if r.ok is not True]

    def __str__(self):
        return "\n".join([str(r) for r in self.shown_reports()] + [self.summary()])

    def to_json(self):
        return {"ok": self.first.ok is True and self.second.ok is True, "status": self.status,
                "files": [self.first.to_json(), self.second.to_json()],
                "equal_to_the_last_bit": self.equal_bits,
                "largest_difference": self.difference,
                "where": None if self.where is None else {"parameter": self.where[0], "batch": self.where[1],
                                                          "index": list(self.where[2])}}


def compare(first, second):
    """The Comparison of two Reports checked on the same network, layout and seed."""
    comparison = Comparison(first, second)
    if CANNOT_CHECK in (first.status, second.status):
        return comparison
    names = first.network.names
    difference, where, equal = 0.0, None, True
    for m, ys, zs in zip(first.batch_sizes, first.gradients, second.gradients):
        for name, y, z in zip(names, ys, zs):
            equal &= y.tobytes() == z.tobytes()
            with np.errstate(invalid="ignore"):
                gap = np.where(np.isfinite(y - z), np.abs(y - z), np.inf)
            k = np.unravel_index(int(np.argmax(gap)), gap.shape)
            if where is None or gap[k] > difference:
                difference, where = float(gap[k]), (name, m, tuple(int(i) for i in k))
    comparison.equal_bits, comparison.difference, comparison.where = equal, difference, where
    return comparison
