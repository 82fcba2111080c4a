"""What a check found, as the command prints it (``str(report)``) and as its ``--json`` file.

Exit statuses: 0 the gradients are right (for the package's loss or a student's convention of it),
1 they are wrong (with the diagnosis), 2 the file cannot be checked (its own traceback, when its
code raised, above one line that says why).
"""

import textwrap
from dataclasses import dataclass, field

import numpy as np

from backprop_lab.check.factors import conventions_for

RIGHT, WRONG, CANNOT_CHECK = 0, 1, 2

#: Entries of a delta printed in full; a wider layer shows the first ones.
SHOWN_ENTRIES = 8
#: Sentences are wrapped to this width, as trace's are; tables and equations are not.
WIDTH = 100


def wrap(text, indent=0, hanging=4):
    """``text`` wrapped to WIDTH, its continuation lines indented ``hanging`` more."""
    return textwrap.wrap(text, WIDTH, initial_indent=" " * indent, subsequent_indent=" " * (indent + hanging),
                         break_on_hyphens=False, break_long_words=False)


def _e(value):
    return "—" if value is None else f"{value:.1e}"


def _index(index):
    return "[" + ",".join(map(str, index)) + "]"


def _vector(values):
    shown = ", ".join(f"{float(v):.6g}" for v in values[:SHOWN_ENTRIES])
    more = f", … ({len(values) - SHOWN_ENTRIES} more)" if len(values) > SHOWN_ENTRIES else ""
    return f"[{shown}{more}]"


@dataclass
class Forward:
    """The student's forward on every batch: ``ok`` within the tolerance, its largest |ŷ − reference|,
    and the (m, sample) where it is largest; or ``missing`` / ``not_implemented`` with ok None."""

    ok: bool | None
    error: float | None = None
    where: tuple | None = None
    state: str = "checked"  # or "missing", "not_implemented"


@dataclass
class Report:
    """One check.  status: RIGHT, WRONG or CANNOT_CHECK; see the module's docstring.

    parameters: backprop_lab.check.comparison.Agreement per parameter (after dividing by the
    loss convention's constant); convention: the factors.LossConvention the gradients follow;
    factor: factors.Factor when the whole gradient is another constant times the reference;
    diagnosis: diagnosis.Diagnosis when wrong; explanation: the reference's lines for the first
    wrong entry; gradients: the student's raw gradients per batch (rows), for ``--compare``.
    """

    network: object
    layout: object
    seed: int
    file: str | None
    status: int = RIGHT
    error: str | None = None
    traceback: str = ""
    printed: str = ""
    notes: list = field(default_factory=list)
    forward: Forward | None = None
    parameters: list = field(default_factory=list)
    convention: object = None
    factor: object = None
    diagnosis: object = None
    first_wrong: tuple | None = None    # (parameter, m, index in rows, yours, the reference's)
    explanation: list = field(default_factory=list)
    references_agree: float | None = None
    batch_sizes: tuple = ()
    gradients: list = field(default_factory=list)

    @property
    def ok(self):
        """True if right, False if wrong, None if the file could not be checked."""
        return None if self.status == CANNOT_CHECK else self.status == RIGHT

    @property
    def what(self):
        return self.file if self.file else "your gradients"

    # -- text
    def __str__(self):
        if self.status == CANNOT_CHECK:
            return self._cannot_text()
        lines = self._header()
        lines += self._forward_lines()
        lines += self._parameter_table()
        if self.status == RIGHT:
            lines += self._right_lines()
        else:
            lines += self._wrong_lines()
        return "\n".join(lines) + "\n"

    def _cannot_text(self):
        parts = []
        if self.traceback:
            parts.append(self.traceback.rstrip("\n"))
        if self.printed:
            parts.append("what it printed last:\n" + "\n".join("  " + line for line in self.printed.splitlines()))
        parts += [line for note in self.notes for line in wrap(f"note: {note}")]
        parts.append(f"backprop-lab: error: cannot check {self.what}: {self.error}")
        return "\n".join(parts) + "\n"

    def _header(self):
        sizes = " and of ".join(f"{m} sample{'s' if m > 1 else ''}" for m in self.batch_sizes)
        start = "compare's initial weights" + ("; biases drawn, not 0" if self.network.bias else "")
        header = [f"backprop-lab check {self.what}: {self.network.describe()}",
                  f"layout: {self.layout.description}",
                  f"on: seed {self.seed}'s parameters ({start}) and {len(self.batch_sizes)} batches, of {sizes}"]
        if self.references_agree is not None:
            header.append(f"against: the reference, scalar_net.batch_gradient, and central finite differences of "
                          f"the loss, which agree with it to {self.references_agree:.1e}")
        header += [f"note: {note}" for note in self.notes]
        return [line for text in header for line in wrap(text)]

    def _forward_lines(self):
        f = self.forward
        if f is None or f.state == "missing":
            return ["forward: none in the file (optional; only the gradients are checked)"]
        if f.state == "not_implemented":
            return ["forward: not implemented yet (it raises NotImplementedError; not checked)"]
        m, s = f.where
        if f.error == 0:
            return ["forward: right (ŷ equal to the reference's to the last bit)"]
        verdict = "right" if f.ok else "WRONG"
        return [f"forward: {verdict} (largest |ŷ − the reference's ŷ| {f.error:.1e}, sample {s + 1} of the batch "
                f"of {m})"]

    def _parameter_table(self):
        constant = "" if self.convention is None or self.convention.name == "1" else \
            f" (yours divided by {self.convention.name}, your loss's constant)"
        rows = [["parameter", "shape", "verdict", "abs error", "rel error", "where (largest)",
                 "finite differences"]]
        for a, shape in zip(self.parameters, self.network.shapes):
            m, index = a.where
            where = f"{_index(self.layout.index(index))}, m = {m}"
            verdict = "right" if a.ok else ("NOT FINITE" if not a.finite else "WRONG")
            rows.append([a.name, str(self.layout.shape(shape)), verdict, _e(a.abs_error), _e(a.rel_error), where,
                         _e(a.differences_error)])
        widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
        table = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in rows]
        return ["", f"gradients, entry by entry against the reference{constant}:"] + ["  " + t for t in table]

    def _right_lines(self):
        lines = [""]
        if self.convention is not None and self.convention.name != "1":
            lines += wrap(f"your gradients are the reference times {self.convention.name}: right for "
                           f"{self.convention.description}")
        lines.append("verdict: right (exit status 0)")
        return lines

    def _wrong_lines(self):
        lines = []
        d = self.diagnosis
        if d is not None:
            lines += [""] + wrap("diagnosis, from the batch of 1 sample (there dL/db_l = δ_l and dL/dW_l = "
                                  "a_(l-1)ᵀ·δ_l, so your δ of every layer can be read off your gradients):")
            for delta in d.deltas:
                name = f"δ{delta.layer}" + (" (output)" if delta.layer == self.network.L else "")
                if delta.state == "right":
                    lines.append(f"  {name}: right")
                elif delta.state == "unknown":
                    lines.append(f"  {name}: cannot be read off: {delta.reason}")
                else:
                    first = " — the first wrong δ from the output down" if delta.layer == d.first_wrong else ""
                    lines.append(f"  {name}: WRONG{first}")
                    if delta.layer == d.first_wrong:
                        lines.append(f"      yours:           {_vector(delta.yours)}")
                        lines.append(f"      the reference's: {_vector(delta.reference)}")
            if d.first_wrong is None and all(x.state != "unknown" for x in d.deltas):
                lines.append("  every δ is right: the mistake is in how a gradient is made from them")
        findings = self.findings()
        lines.append("")
        if findings:
            lines += [line for f in findings for line in wrap(f"finding: {f.text}")]
        else:
            lines += wrap("finding: none of the common mistakes gives your numbers; compare your δ with the "
                           "reference's above and the numbers below")
        if self.first_wrong is not None:
            name, m, index, yours, reference = self.first_wrong
            shown = _index(self.layout.index(index))
            lines += [""] + wrap(
                f"the first wrong entry: dL/d{name}{shown} on the batch of {m} sample{'s' if m > 1 else ''}: "
                f"yours {yours:.6g}, the reference's {reference:.6g}; the reference computes it as "
                "`backprop-lab trace` prints it"
                + (" (trace's names are in rows: its W[i,j] is your W[j,i])" if self.layout.name == "columns" else "")
                + ":")
            lines += ["  " + line for line in self.explanation]
        lines += ["", "verdict: wrong (exit status 1)"]
        return lines

    def findings(self):
        """Every finding: the whole gradient's factor, NaN or infinity, the forward, the diagnosis's."""
        from backprop_lab.check.diagnosis import Finding

        found = []
        if self.forward is not None and self.forward.ok is False:
            after = ("your gradients are right, so they do not use this forward" if all(a.ok for a in self.parameters)
                     else "if your gradients start from it, mend it first")
            found.append(Finding("forward_wrong", "the forward pass wrong", None, None,
                                 f"forward: your ŷ is not the reference's; {after}"))
        for a in self.parameters:
            if not a.finite:
                m, index = a.where
                shown = ",".join(map(str, self.layout.index(index)))
                found.append(Finding("not_finite", "NaN or infinity", int(a.name[1:]), a.name,
                                     f"{a.name}: your gradient holds NaN or infinity ({a.name}[{shown}] on the batch "
                                     f"of {m} sample{'s' if m > 1 else ''}, and maybe more)"))
        f = self.factor
        if f is not None:
            if f.sign_flipped:
                extra = "" if f.convention is None or f.convention.name == "1" else \
                    f" (with the constant {f.convention.name} of {f.convention.description})"
                found.append(Finding("sign_flipped", "the sign flipped", None, None,
                                     f"every gradient is {f.constant} times the reference: the sign is flipped{extra}; "
                                     "(y − ŷ) where (ŷ − y) belongs? a step would climb the loss"))
            else:
                theirs = [c.name for c in conventions_for(self.network.loss)[1:]]
                do = f" ({', '.join(theirs)} {'does' if len(theirs) == 1 else 'do'})" if theirs else ""
                found.append(Finding("factor", "a constant factor", None, None,
                                     f"every gradient is {f.constant} times the reference, a constant that belongs to "
                                     f"no loss convention{do}: " + (
                                         "MSE's gradients, without half-mse's 1/2 (they are right for --loss mse)?"
                                         if self.network.loss == "half-mse" and f.constant == "2" else
                                         "a factor 2 or a 1/m too many or missing?")))
        if self.diagnosis is not None:
            found += [x for x in self.diagnosis.findings
                      if not (f is not None and f.sign_flipped and x.kind == "sign_flipped")]
        return found

    # -- JSON
    def to_json(self):
        """The --json document: ok, parameters, factor, findings (see docs/check.md)."""
        document = {
            "file": self.file,
            "ok": self.ok,
            "status": self.status,
            "error": self.error,
            "network": {"sizes": list(self.network.sizes), "bias": self.network.bias,
                        "activation": self.network.activation, "loss": self.network.loss,
                        "layout": self.layout.name, "seed": self.seed},
        }
        if self.status == CANNOT_CHECK:
            document.update(parameters=None, factor=None, convention=None, findings=[])
            return document
        document["forward"] = None if self.forward is None or self.forward.ok is None else \
            {"ok": self.forward.ok, "abs_error": _finite_or_none(self.forward.error)}
        document["parameters"] = {
            a.name: {"ok": a.ok, "finite": a.finite, "abs_error": _finite_or_none(a.abs_error),
                     "rel_error": _finite_or_none(a.rel_error),
                     "where": {"batch": a.where[0], "index": list(a.where[1])},
                     "finite_differences_abs_error": _finite_or_none(a.differences_error)}
            for a in self.parameters}
        convention = self.convention if self.convention is not None and self.convention.name != "1" else None
        document["factor"] = convention.name if convention else None  # a wrong constant is a finding
        document["convention"] = convention.description if convention else None
        document["first_wrong_delta"] = None if self.diagnosis is None else self.diagnosis.first_wrong
        document["findings"] = [{"kind": f.kind, "layer": f.layer, "parameter": f.parameter, "text": f.text}
                                for f in self.findings()]
        return document


def _finite_or_none(value):
    return None if value is None or not np.isfinite(value) else float(value)
