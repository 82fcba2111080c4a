"""One check, from the student's functions to the Report: the steps in the order they run.

1. the problem (seeded parameters, a batch of one sample and one of several), the reference's
   gradients and the finite differences on each batch, before the student's code runs;
2. the student's forward (if they wrote one) and gradients on each batch, in their layout, and
   what they returned checked against the shapes of the parameters;
3. entry by entry against the reference, after dividing by the constant of the loss convention
   their gradients follow (backprop_lab.check.factors);
4. when wrong: the whole gradient's factor, each layer's delta and the findings
   (backprop_lab.check.diagnosis), and the reference's numbers for the first wrong entry.
"""

import numpy as np

from backprop_lab.check import explain, finite_differences, layouts
from backprop_lab.check.comparison import (DIFFERENCES_ATOL, DIFFERENCES_RTOL, agreement, all_close, close,
                                           differences_floor, scale)
from backprop_lab.check.diagnosis import diagnose
from backprop_lab.check.factors import PACKAGE, matching_convention, whole_gradient_factor
from backprop_lab.check.problem import make_problem
from backprop_lab.check.reference import reference
from backprop_lab.check.report import CANNOT_CHECK, RIGHT, WRONG, Forward, Report


class _CannotCheck(Exception):
    def __init__(self, message, reply=None, notes=()):
        super().__init__(message)
        self.message, self.reply, self.notes = message, reply or {}, list(notes)


def _failed(reply):
    return "failure" in reply


def _where(reply, path, doing):
    """' (line N of the file, on the batch of ...)': what is known of where the failure happened."""
    line = reply.get("line")
    parts = [f"line {line}" + (f" of {path}" if path else "")] if line is not None else []
    parts += [doing] if doing else []
    return f" ({', '.join(parts)})" if parts else ""


def _unfinished(source):
    """The lines of the student's file that raise NotImplementedError (the blanks left), or []."""
    if source is None:
        return []
    try:
        with open(source, encoding="utf-8") as f:
            return [k for k, line in enumerate(f, start=1)
                    if line.strip().startswith("raise NotImplementedError")]
    except (OSError, UnicodeDecodeError):
        return []


def _failure_message(reply, doing, path):
    kind = reply["failure"]
    if kind == "not_implemented":
        blanks = _unfinished(path)
        left = (f"; {len(blanks)} places in the file still do (lines {', '.join(map(str, blanks))})"
                if len(blanks) > 1 else "")
        raised = f"NotImplementedError({reply['text']!r})" if reply["text"] else "NotImplementedError"
        if reply.get("line") is None or not path:
            return f"not finished yet: {reply['function']} raises {raised}{left}"
        return f"not finished yet: line {reply['line']} of {path} raises {raised} when {reply['function']} runs{left}"
    return f"{reply['message']}{_where(reply, path, doing)}"


def _shape_problem(network, layout, arrays):
    """Why the returned arrays do not fit the parameters (one line), or None."""
    names, shapes = network.names, [layout.shape(s) for s in network.shapes]
    if len(arrays) != len(names):
        return (f"gradients returned {len(arrays)} array{'s' if len(arrays) != 1 else ''}; {network.describe()} has "
                f"{len(names)} parameters, and gradients must return one array for each, in the order "
                f"{', '.join(names)}")
    for name, shape, g in zip(names, shapes, arrays):
        if not layout.accepts(g.shape, shape, bias=name.startswith("b")):
            hint = " (it looks transposed)" if len(shape) == 2 and g.shape == shape[::-1] else ""
            return (f"the gradient of {name} has shape {g.shape}{hint}; {name} is {shape} in the {layout.name} "
                    f"layout, and its gradient must be too")
    return None


def _runs_in(student, network, layout, problem, batch):
    """Whether the student's gradients run and return the right shapes in ``layout``."""
    reply = student.call("gradients", *layout.inputs(problem.params, batch))
    return not _failed(reply) and _shape_problem(network, layout, reply["value"]) is None


def _other_layout_note(student, network, layout, problem, batch):
    other = layouts.other(layout)
    if _runs_in(student, network, other, problem, batch):
        name = "column-vector" if other is layouts.COLUMNS else "row-vector (the package's)"
        return [f"your gradients run in the {name} layout: {other.advice}"]
    return []


def _student_gradients(student, network, layout, problem, path):
    """The student's gradients per batch, in rows; _CannotCheck when they cannot be had."""
    per_batch = []
    for batch in problem.batches:
        doing = f"on {batch.label}"
        reply = student.call("gradients", *layout.inputs(problem.params, batch))
        if _failed(reply):
            notes = []
            if reply["failure"] in ("raised", "bad_return"):
                notes = _other_layout_note(student, network, layout, problem, batch)
            raise _CannotCheck(_failure_message(reply, doing, path), reply, notes)
        why = _shape_problem(network, layout, reply["value"])
        if why:
            raise _CannotCheck(f"{why} ({doing})", notes=_other_layout_note(student, network, layout, problem, batch))
        per_batch.append([layout.gradient_to_rows(g, s) for g, s in zip(reply["value"], network.shapes)])
    return per_batch


def _student_forward(student, network, layout, problem, references, path):
    """Forward: the student's ŷ against the reference's on every batch."""
    error, where = 0.0, None
    ok = True
    for batch, ref in zip(problem.batches, references):
        params, X, _ = layout.inputs(problem.params, batch)
        reply = student.call("forward", params, X)
        if _failed(reply):
            if reply["failure"] == "not_implemented":
                return Forward(None, state="not_implemented")
            notes = []
            if reply["failure"] in ("raised", "bad_return"):
                notes = _other_layout_note(student, network, layout, problem, batch)
            raise _CannotCheck(_failure_message(reply, f"on {batch.label}", path), reply, notes)
        y_hat = reply["value"]
        m = batch.m
        if y_hat.shape not in (layout.output_shape(m), (m,)):
            raise _CannotCheck(f"forward returned shape {y_hat.shape} on {batch.label}; ŷ is "
                               f"{layout.output_shape(m)} in the {layout.name} layout",
                               notes=_other_layout_note(student, network, layout, problem, batch))
        y_hat = layout.output_to_rows(y_hat, m)
        expected = ref.step.A[network.L]
        with np.errstate(invalid="ignore"):
            gap = np.where(np.isfinite(y_hat), np.abs(y_hat - expected), np.inf)
        s = int(np.argmax(gap[:, 0]))
        if where is None or gap[s, 0] > error:
            error, where = float(gap[s, 0]), (m, s)
        ok &= bool(np.all(close(y_hat, expected, 1.0)))
    return Forward(ok, error, where)


def _first_wrong_entry(network, agreements, per_batch, references, sizes):
    """(name, m, index, yours, the reference's) of the first wrong entry of the topmost wrong layer
    (its weights before its biases), or None."""
    wrong = [a for a in agreements if not a.ok and a.first_wrong is not None]
    if not wrong:
        return None
    top = max(int(a.name[1:]) for a in wrong)
    a = next(a for a in wrong if int(a.name[1:]) == top)
    m, index = a.first_wrong
    b = sizes.index(m)
    k = network.names.index(a.name)
    return a.name, m, index, float(per_batch[b][k][index]), float(references[b].gradients[k][index])


def run_check(student, network, layout, seed, file=None, source=None):
    """The Report of the student's functions (backprop_lab.check.student) on ``network``.

    file: the name the report gives the student's code; source: the path of their file, to point
    at its lines.
    """
    problem = make_problem(network, seed)
    sizes = tuple(b.m for b in problem.batches)
    references = [reference(network, problem.params, b) for b in problem.batches]
    differences = [finite_differences.gradient(network, problem.params, b.X, b.Y) for b in problem.batches]
    scales = [scale(r.gradients) for r in references]
    floors = [differences_floor(r.loss, finite_differences.STEP) for r in references]
    report = Report(network, layout, seed, file, batch_sizes=sizes)
    report.references_agree = max(float(np.max(np.abs(d - r))) for ds, ref in zip(differences, references)
                                  for d, r in zip(ds, ref.gradients))
    if not all(all_close(r, d, s, rtol=DIFFERENCES_RTOL, atol=DIFFERENCES_ATOL, floor=floor)
               for ds, ref, s, floor in zip(differences, references, scales, floors)
               for d, r in zip(ds, ref.gradients)):
        report.notes.append("the reference and the finite differences disagree beyond the differences' tolerance: "
                            "a verdict cannot be trusted here; please report this command")
    try:
        reply = student.start()
        if _failed(reply):
            raise _CannotCheck(_failure_message(reply, "", source), reply)
        functions = reply["value"]
        if "gradients" not in functions:
            raise _CannotCheck("it has no function gradients(params, X, y); write one (backprop-lab exercise "
                               "writes a file to start from)")
        if "forward" in functions:
            report.forward = _student_forward(student, network, layout, problem, references, source)
        else:
            report.forward = Forward(None, state="missing")
        per_batch = _student_gradients(student, network, layout, problem, source)
    except _CannotCheck as cannot:
        report.status, report.error = CANNOT_CHECK, cannot.message
        report.notes += cannot.notes
        report.traceback = cannot.reply.get("traceback", "")
        report.printed = student.printed() if cannot.reply.get("failure") != "not_implemented" else ""
        return report
    report.gradients = per_batch
    _judge(report, network, problem, references, differences, scales, floors, per_batch)
    return report


def _judge(report, network, problem, references, differences, scales, floors, per_batch):
    """Steps 3 and 4 of the module's docstring, filling in ``report``."""
    sizes = report.batch_sizes
    refs = [r.gradients for r in references]
    convention = matching_convention(network.loss, sizes, per_batch, refs, scales)
    normalised = [[g / convention.constant(m) for g in ys] for m, ys in zip(sizes, per_batch)]
    report.convention = convention
    report.parameters = [agreement(name, sizes, [ys[k] for ys in normalised], [rs[k] for rs in refs],
                                   [ds[k] for ds in differences], scales, floors)
                         for k, name in enumerate(network.names)]
    forward_ok = report.forward is None or report.forward.ok is not False
    if all(a.ok for a in report.parameters):
        report.status = RIGHT if forward_ok else WRONG  # a wrong forward beside right gradients: nothing to diagnose
        return
    report.status = WRONG
    if convention is PACKAGE:
        report.factor = whole_gradient_factor(network.loss, sizes, per_batch, refs, scales)
    wrong = [k for k, a in enumerate(report.parameters) if not a.ok]
    steps = [r.step for r in references]
    report.diagnosis = diagnose(network, report.layout.name, problem.params, problem.batches, steps, refs,
                                normalised, scales, wrong)
    report.first_wrong = _first_wrong_entry(network, report.parameters, normalised, references, sizes)
    if report.first_wrong is not None:
        name, m, index, _, _ = report.first_wrong
        b = sizes.index(m)
        report.explanation = explain.entry_lines(network, problem.params, steps[b], problem.batches[b].Y, name, index)
