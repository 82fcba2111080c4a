"""Where a wrong backward pass goes wrong: each layer's delta read off the student's gradients,
the first wrong one from the output down, and the common mistakes their numbers match.

From one sample, dL/db_l is delta_l and dL/dW_l is the outer product a_{l-1}^T delta_l (rows,
backprop_lab.conventions), so the batch of one gives back the student's delta of every layer:
from the bias gradient, or without biases as the delta that best explains dL/dW_l (least
squares).  The first layer from the output down whose delta differs from the reference's is
where the mistake is made (every delta below it is computed from it); the mistakes of
backprop_lab.check.mistakes are tried there, from the student's own delta above.  Parameter
mistakes that leave the deltas right (a transposed gradient, a bias averaged) are tried on every
batch, for each parameter found wrong.
"""

from dataclasses import dataclass, field

import numpy as np

from backprop_lab.check import mistakes
from backprop_lab.check.comparison import all_close


@dataclass
class Finding:
    """A named mistake: ``kind`` (mistakes.Mistake.kind), where (a layer, or a parameter), a sentence."""

    kind: str
    title: str
    layer: int | None
    parameter: str | None
    text: str


@dataclass
class LayerDelta:
    """One layer's delta on the batch of one: 'right', 'wrong', or 'unknown' with the reason (it
    holds NaN or infinity; or, without biases, dL/dW_l is not a_{l-1}^T delta for any delta);
    yours and the reference's, (n_l,)."""

    layer: int
    state: str
    yours: np.ndarray | None
    reference: np.ndarray
    reason: str = ""


@dataclass
class Diagnosis:
    deltas: list                      # LayerDelta, from the output down
    first_wrong: int | None           # the first layer from the output down whose delta is wrong
    findings: list = field(default_factory=list)


def weight_index(network, l):
    """The index of W_l in the parameter list (b_l follows it when the net has biases)."""
    return (l - 1) * (2 if network.bias else 1)


def recovered_deltas(network, step, grads, scale):
    """[LayerDelta] from the output down, read off the gradients ``grads`` (rows) of one sample."""
    deltas = []
    for l in range(network.L, 0, -1):
        k = weight_index(network, l)
        a_below = step.A[l - 1][0]
        gW = grads[k]
        source = f"dL/db{l}" if network.bias else f"dL/dW{l}"
        if not np.all(np.isfinite(grads[k + 1] if network.bias else gW)):
            deltas.append(LayerDelta(l, "unknown", None, step.Delta[l][0], f"your {source} holds NaN or infinity"))
            continue
        if network.bias:
            yours = grads[k + 1]
        else:
            yours = a_below @ gW / (a_below @ a_below)
            if not all_close(gW, np.outer(a_below, yours), scale):
                deltas.append(LayerDelta(l, "unknown", None, step.Delta[l][0],
                                         f"your dL/dW{l} is not a{l - 1}ᵀ·δ for any δ"))
                continue
        right = all_close(yours, step.Delta[l][0], scale)
        deltas.append(LayerDelta(l, "right" if right else "wrong", yours, step.Delta[l][0]))
    return deltas


def delta_findings(network, layout, params, step, y, deltas, first_wrong, scale):
    """The mistakes whose delta for layer ``first_wrong`` is the student's (batch of one, label y)."""
    by_layer = {d.layer: d for d in deltas}
    l = first_wrong
    if l == network.L:
        candidates = mistakes.output_candidates(network, step.A[l][0], y, step.Z[l][0], 1)
    else:
        above = by_layer[l + 1]
        if above.state != "right":
            return []
        W_above = params[weight_index(network, l + 1)]
        candidates = mistakes.hidden_candidates(network, W_above, above.yours, step.Z[l][0], step.A[l][0])
    where = "the output layer" if l == network.L else f"layer {l}"
    fields = mistakes.activation_fields("sigmoid" if l == network.L else network.activation, l)
    return [Finding(mistake.kind, mistake.title, l, None,
                    f"{where}: {mistake.title}: {mistake.text(layout, l=l, above=l + 1, below=l - 1, **fields)}")
            for mistake, would_give in candidates if all_close(by_layer[l].yours, would_give, scale)]


def parameter_findings(network, layout, wrong, params, steps, references, yours, scales):
    """The parameter mistakes that the student's gradient of each ``wrong`` parameter is, on every batch.

    steps, references, yours: per batch, the reference's trace, its gradients and the student's (rows).
    """
    names = network.names
    findings = []
    for k in wrong:
        name = names[k]
        l = int(name[1:])
        per_batch = []
        for step, refs in zip(steps, references):
            if name.startswith("W"):
                per_batch.append([(m, g, None) for m, g in mistakes.weight_candidates(l, params[k], step, refs[k])])
            else:
                per_batch.append(mistakes.bias_candidates(l, step, refs[k]))
        for c, (mistake, _, sample) in enumerate(per_batch[0]):
            if all(all_close(ys[k], batch[c][1], s) for ys, batch, s in zip(yours, per_batch, scales)):
                text = mistake.text(layout, l=l, above=l + 1, below=l - 1, sample=sample)
                findings.append(Finding(mistake.kind, mistake.title, l, name, f"{name}: {mistake.title}: {text}"))
                break
    return findings


def diagnose(network, layout, params, batches, steps, references, yours, scales, wrong):
    """The Diagnosis of the student's gradients ``yours`` (per batch, rows, already divided by their
    loss convention's constant); ``wrong``: the indices of the parameters found wrong; ``layout``:
    the student's ('rows' or 'columns'), in which the findings are written.

    The first batch is the batch of one sample, whose deltas the layers are read from.
    """
    deltas = recovered_deltas(network, steps[0], yours[0], scales[0])
    first_wrong = next((d.layer for d in deltas if d.state == "wrong"), None)
    findings = []
    if first_wrong is not None:
        findings += delta_findings(network, layout, params, steps[0], batches[0].Y[0], deltas, first_wrong,
                                   scales[0])
    findings += parameter_findings(network, layout, wrong, params, steps, references, yours, scales)
    return Diagnosis(deltas, first_wrong, findings)
