"""L2 weight decay: the penalty (lambda/2) sum w^2 over the weights, its gradient, and the step.

The trainers (backprop_lab.conventions, "Weight decay") add ``lambda * w`` to each weight's
gradient and leave the biases alone.  Here sympy proves, for every parameter of the lab's
2-4-4-1 network (and of its bias-free form), that this is the gradient of the penalised loss
``J = L + (lambda/2) sum w^2`` whatever the data loss L is: L is kept as an unknown function of
all the parameters.  It also proves what the decay does to a gradient-descent step.
"""

from functools import lru_cache, partial

import sympy as sp

from backprop_lab.network import LAB_SIZES
from derivations import notation, render, symbolic_net
from derivations.proof import by_expanding

FILENAME = "08_weight_decay.md"

lam = notation.symbol("lambda_decay", r"\lambda", positive=True)
lr = notation.symbol("eta_lr", r"\eta", positive=True)
theta = notation.symbol("theta", r"\theta", real=True)
g = notation.symbol("g_grad", "g", real=True)


def is_weight(parameter):
    """Weights have a row index; biases do not."""
    return parameter.row is not None


@lru_cache(maxsize=None)
def penalised(bias=True):
    """(parameters, L, J): the data loss L as an unknown function of every parameter of the lab's
    network, and J = L + (lambda/2) * (sum of every weight squared)."""
    parameters = symbolic_net.parameters(LAB_SIZES, bias)
    L = sp.Function("L")(*(p.symbol for p in parameters))
    penalty = lam / 2 * sum((p.symbol ** 2 for p in parameters if is_weight(p)), sp.S.Zero)
    return parameters, L, L + penalty


def gradient_claims(bias=True):
    """For each parameter theta: dJ/dtheta = dL/dtheta + lambda theta (weights) or dL/dtheta (biases)."""
    parameters, L, J = penalised(bias)
    claims = []
    for p in parameters:
        code = sp.Derivative(L, p.symbol).doit() + (lam * p.symbol if is_weight(p) else 0)
        claims.append((p, by_expanding(sp.diff(J, p.symbol), code)))
    return claims


def sgd_step_claim():
    """theta - eta (g + lambda theta) = (1 - eta lambda) theta - eta g: the decay shrinks each weight."""
    return by_expanding(theta - lr * (g + lam * theta), (1 - lr * lam) * theta - lr * g)


def all_proved(bias):
    return all(claim.proved for _, claim in gradient_claims(bias))


#: Every lemma of this file by name, each a function returning its Claim or a bool (for the tests).
LEMMAS = {
    "SGD with decay: theta - eta (g + lambda theta) = (1 - eta lambda) theta - eta g": sgd_step_claim,
}
PROOFS = {"every parameter of 2-4-4-1 with biases": partial(all_proved, True),
          "every parameter of 2-4-4-1 without biases": partial(all_proved, False)}


def document():
    """The Markdown of 08_weight_decay.md."""
    rows = []
    for bias in (True, False):
        claims = gradient_claims(bias)
        for kind, wanted in (("weights", True), ("biases", False)):
            group = [claim for p, claim in claims if is_weight(p) == wanted]
            if not group:
                continue
            stated = (r"\frac{\partial L}{\partial w} + \lambda w" if wanted else r"\frac{\partial L}{\partial b}")
            proved = sum(claim.proved for claim in group)
            rows.append([f"2-4-4-1 {'with' if bias else 'without'} biases", f"{len(group)} {kind}",
                         render.inline(stated), f"{proved} of {len(group)} proved"])
    first_weight = next(claim for p, claim in gradient_claims(True) if is_weight(p))
    first_bias = next(claim for p, claim in gradient_claims(True) if not is_weight(p))
    w, b = notation.weight(1, 0, 0), notation.bias(1, 0)
    step = sgd_step_claim()
    blocks = [
        render.header("Weight decay: the L2 penalty and its gradient", "derivations/weight_decay.py"),
        "Weight decay (`--weight-decay` $\\lambda$, `weight_decay=` in both trainers) trains the "
        "network on the penalised loss",
        render.display(r"J = L + \frac{\lambda}{2} \sum_{\text{weights } w} w^2"),
        "where $L$ is the data loss of [07_losses.md](07_losses.md) and the sum runs over every "
        "entry of every weight matrix $W_1, W_2, \\ldots$ but not over the biases "
        "(`backprop_lab/conventions.py`, \"Weight decay\"). The trainers report $L$ alone as the "
        "epoch loss, so a run with decay and one without report comparable numbers.",
        "## The gradient",
        "Differentiation is linear, and $\\frac{d}{dw}\\frac{\\lambda}{2} w^2 = \\lambda w$, so",
        render.display(r"\frac{\partial J}{\partial w} = \frac{\partial L}{\partial w} + \lambda w, "
                       r"\qquad \frac{\partial J}{\partial b} = \frac{\partial L}{\partial b}"),
        "Backpropagation computes $\\partial L/\\partial w$ as before; the trainers add "
        "$\\lambda w$ to it (the product rounded first, then the sum) just before the weight's "
        "optimizer step. Sympy checks this for every parameter, with $L$ left as an unknown "
        "function of all of them, so the result holds for any activation, loss and data. For "
        f"the first weight, {render.inline(render.tex(w))}:",
        render.display(rf"\frac{{\partial J}}{{\partial {render.tex(w)}}} - "
                       rf"\left(\frac{{\partial L}}{{\partial {render.tex(w)}}} + \lambda {render.tex(w)}\right) "
                       rf"= {render.tex(first_weight.residual)}"),
        "and for the first bias, " + render.inline(render.tex(b)) + ":",
        render.display(rf"\frac{{\partial J}}{{\partial {render.tex(b)}}} - "
                       rf"\frac{{\partial L}}{{\partial {render.tex(b)}}} = {render.tex(first_bias.residual)}"),
        "Every parameter:",
        render.table(["network", "parameters", "$\\partial J / \\partial\\theta$ in the code", "sympy"], rows),
        "## What it does to a step",
        "With gradient descent at step size $\\eta$ the update of a weight becomes",
        render.display(r"\theta - \eta\left(g + \lambda\theta\right) = (1 - \eta\lambda)\,\theta - \eta g"),
        "where $\\theta$ is the weight and $g = \\partial L/\\partial\\theta$.",
        render.sympy_says(step, how="expands"),
        "Each step first shrinks the weight by the factor $1 - \\eta\\lambda$ (hence *decay*), "
        "then takes the usual step. Weights that the data do not keep large fade towards 0, "
        "which keeps the network's function smooth; a bias only shifts a boundary, so it is "
        "left free.",
        "With momentum and Adam the same $g + \\lambda w$ goes into the optimizer in place of $g$: "
        "momentum accumulates the decay like any gradient, and Adam divides it by the running "
        "size of the whole gradient (the original \"L2 in the gradient\" form, not AdamW's "
        "decoupled decay).",
    ]
    return render.page(blocks)
