"""Momentum in its two forms: the classic v <- beta v + g and the averaged v <- beta v + (1 - beta) g.

The trainers (backprop_lab.conventions, "Momentum") step theta <- theta - lr v with either form
(``momentum_form``).  Here sympy unrolls both from v = 0 over T steps of arbitrary gradients,
proves that the averaged velocity is (1 - beta) times the classic one at every step, finds each
form's steady step for a constant gradient, and proves that the matrix update of matrix_net,
applied to whole arrays, is the element-wise update of scalar_net entry by entry.
"""

import sympy as sp

from derivations import notation, render
from derivations.proof import by_expanding, by_simplifying

FILENAME = "09_momentum.md"

#: Steps unrolled from v = 0.
STEPS = 4
#: The shape of the arrays of the matrix form's proof (any shape will do; W2 of the lab's net is 4 x 4).
SHAPE = (2, 3)

beta = notation.symbol("beta_momentum", r"\beta", positive=True)
g = notation.symbol("g_grad", "g", real=True)
gradients = [notation.symbol(f"g_{t}", f"g_{{{t}}}", real=True) for t in range(1, STEPS + 1)]


def classic(v, gradient):
    """The classic form's new velocity (scalar_net/optimizers.py, MOMENTUM)."""
    return beta * v + gradient


def average(v, gradient):
    """The averaged form's new velocity (scalar_net/optimizers.py, MOMENTUM_AVERAGE)."""
    return beta * v + (1 - beta) * gradient


def unrolled(form):
    """[v_1, ..., v_T] from v_0 = 0 under ``form``."""
    v, velocities = sp.S.Zero, []
    for gradient in gradients:
        v = form(v, gradient)
        velocities.append(v)
    return velocities


def averaged_sum_claims():
    """For t = 1..T: the averaged v_t = (1 - beta) sum_k beta^(t-k) g_k, a weighted average of the
    gradients whose weights (1 - beta) beta^(t-k) sum to 1 - beta^t."""
    return [by_expanding(v, (1 - beta) * sum(beta ** (t - k) * gradients[k - 1] for k in range(1, t + 1)))
            for t, v in enumerate(unrolled(average), start=1)]


def scaled_claims():
    """For t = 1..T: the averaged v_t = (1 - beta) times the classic v_t."""
    return [by_expanding(a, (1 - beta) * c) for a, c in zip(unrolled(average), unrolled(classic))]


def steady(form):
    """The velocity v with form(v, g) = v: where a constant gradient g leads."""
    v = sp.Symbol("v")
    (fixed,) = sp.solve(sp.Eq(form(v, g), v), v)
    return fixed


def steady_claims():
    """classic: v = g / (1 - beta), a step lr / (1 - beta) times g; averaged: v = g, a step lr g."""
    return by_simplifying(steady(classic), g / (1 - beta)), by_simplifying(steady(average), g)


def matrix_claim(form):
    """The matrix update of matrix_net/optimizers.py, beta M + G or beta M + (1 - beta) G on
    whole arrays, is the element-wise update of every entry."""
    rows, cols = SHAPE
    M = sp.Matrix(rows, cols, lambda i, j: notation.symbol(f"m_{i}{j}", f"m_{{{i}{j}}}", real=True))
    G = sp.Matrix(rows, cols, lambda i, j: notation.symbol(f"gm_{i}{j}", f"g_{{{i}{j}}}", real=True))
    matrix = beta * M + (G if form is classic else (1 - beta) * G)
    entries = sp.Matrix(rows, cols, lambda i, j: form(M[i, j], G[i, j]))
    return by_expanding(matrix, entries)


def all_steps(claims):
    """The claims of every step as one claim on the vectors of their sides."""
    return by_expanding(sp.Matrix([c.lhs for c in claims]), sp.Matrix([c.rhs for c in claims]))


#: Every lemma of this file by name, each a function returning its Claim (for the tests).
LEMMAS = {
    f"averaged momentum over {STEPS} steps = (1 - beta) sum beta^(t-k) g_k": lambda: all_steps(averaged_sum_claims()),
    f"averaged momentum = (1 - beta) classic momentum over {STEPS} steps": lambda: all_steps(scaled_claims()),
    "classic momentum's steady velocity is g / (1 - beta)": lambda: steady_claims()[0],
    "averaged momentum's steady velocity is g": lambda: steady_claims()[1],
    "classic momentum: the matrix update is the element-wise one": lambda: matrix_claim(classic),
    "averaged momentum: the matrix update is the element-wise one": lambda: matrix_claim(average),
}


def document():
    """The Markdown of 09_momentum.md."""
    sums, scaled = averaged_sum_claims(), scaled_claims()
    steady_classic, steady_average = steady_claims()
    rows = [[f"${t}$", render.inline(render.tex(c)), render.inline(render.tex(a)),
             render.verdict(s), render.verdict(k)]
            for t, (c, a, s, k) in enumerate(zip(unrolled(classic), unrolled(average), sums, scaled), start=1)]
    matrices = [matrix_claim(classic), matrix_claim(average)]
    blocks = [
        render.header("Momentum: the classic and the averaged form", "derivations/momentum.py"),
        "With `--optimizer momentum` each parameter $\\theta$ carries a velocity $v$, 0 at the start, "
        "and every step is $\\theta \\leftarrow \\theta - \\eta v$ with $g = \\partial L/\\partial\\theta$ "
        "of the batch (`backprop_lab/conventions.py`, \"Momentum\"). `--momentum-form` chooses how "
        "$v$ takes in the gradient:",
        render.display(r"\text{classic: } v \leftarrow \beta v + g, \qquad "
                       r"\text{average: } v \leftarrow \beta v + (1 - \beta)\, g"),
        "The classic form is Polyak's and PyTorch's; the averaged form is the one of many course "
        "notes (and of Adam's first moment, without its bias correction).",
        "## Unrolled from v = 0",
        f"Over {STEPS} steps with gradients $g_1, \\ldots, g_{STEPS}$, sympy finds the velocities below; "
        "the averaged one is the weighted sum $(1-\\beta)\\sum_{k \\le t} \\beta^{t-k} g_k$ (its weights add "
        "up to $1 - \\beta^t$, so it is an average of the gradients that starts low), and it is exactly "
        "$1 - \\beta$ times the classic one:",
        render.table(["$t$", "classic $v_t$", "averaged $v_t$",
                      "averaged $= (1-\\beta)\\sum_k \\beta^{t-k} g_k$", "averaged $= (1-\\beta)\\,$classic"], rows),
        "So in real arithmetic the averaged form at step size $\\eta$ takes the steps of the classic "
        "form at $\\eta(1-\\beta)$; in floating point the two round differently, and the trainers "
        "compute each form as written, $\\beta v$ and $(1-\\beta) g$ each rounded, then summed.",
        "## The steady step",
        "For a constant gradient $g$ the velocity settles where an update leaves it unchanged:",
        render.display(r"\text{classic: } v = \beta v + g \iff v = \frac{g}{1 - \beta}, \qquad "
                       r"\text{average: } v = \beta v + (1 - \beta)\, g \iff v = g"),
        f"Sympy solves each equation for $v$ and compares: classic {render.verdict(steady_classic)}, "
        f"averaged {render.verdict(steady_average)}. The classic form's steps grow to $\\eta/(1-\\beta)$ times the gradient, ten times plain "
        "gradient descent's for $\\beta = 0.9$; the averaged form's stay at $\\eta$ times it, so it "
        "keeps gradient descent's step size.",
        "## The matrix form",
        f"`matrix_net` updates a whole array at once, $M \\leftarrow \\beta M + G$ or "
        f"$M \\leftarrow \\beta M + (1-\\beta) G$; `scalar_net` updates one entry at a time. On "
        f"{SHAPE[0]}×{SHAPE[1]} arrays of symbols the two are equal entry by entry, for the classic form "
        f"{render.verdict(matrices[0])} and for the averaged form {render.verdict(matrices[1])}: "
        "both trainers perform the same operations in the same order, so they agree to the last bit.",
    ]
    return render.page(blocks)
