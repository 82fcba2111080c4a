"""The three losses per sample, the output delta each gives, and the lemmas behind the code's forms.

Definitions and constant factors: backprop_lab.conventions.  Here one sample's term ``l`` of the
batch loss L = (1/m) sum_s l_s is derived; the code's delta carries the 1/m (``output_delta`` in
scalar_net/losses.py takes m), the derivations' per-sample delta does not.
"""

from functools import partial

import sympy as sp
from sympy.codegen.cfunctions import log1p

from backprop_lab import options
from derivations import notation, render, sigmoid
from derivations.activations import z_negative, z_nonnegative
from derivations.proof import by_expanding, by_simplifying
from derivations.sigmoid import sigma, z

FILENAME = "07_losses.md"

y = notation.symbol("y", "y", real=True)
# A probability, strictly in (0, 1).  Named like the network's output activation a3_0 so that
# sympy, which orders terms by name, prints y_hat - y rather than -y + y_hat.
y_hat = notation.symbol("a_out", r"\hat{y}", positive=True)


#: Each loss and its output delta as a reader writes them (sympy would print -y + y_hat).
STATED = {
    "mse": (r"\left(\hat y - y\right)^2", r"2\left(\hat y - y\right)\hat y\left(1 - \hat y\right)"),
    "bce": (r"-\left[y \log \hat y + (1 - y) \log(1 - \hat y)\right]", r"\hat y - y"),
    "half-mse": (r"\tfrac12\left(\hat y - y\right)^2", r"\left(\hat y - y\right)\hat y\left(1 - \hat y\right)"),
}


def per_sample(loss, prediction, label):
    """One sample's term of the loss sum: MSE (y_hat - y)^2, half-MSE (1/2)(y_hat - y)^2, BCE
    -[y log y_hat + (1-y) log(1-y_hat)]."""
    if loss == "mse":
        return (prediction - label) ** 2
    if loss == "half-mse":
        return sp.Rational(1, 2) * (prediction - label) ** 2
    assert loss == "bce", loss
    return -(label * sp.log(prediction) + (1 - label) * sp.log(1 - prediction))


def per_sample_from_z(loss, z_out, label):
    """The same term from the output's weighted input, as the code evaluates it: for BCE the finite
    form softplus(z) - y z (cross_entropy_is_softplus_form proves it equal)."""
    if loss in ("mse", "half-mse"):
        return per_sample(loss, sigma(z_out), label)
    assert loss == "bce", loss
    return softplus(z_out) - label * z_out


def output_delta(loss, prediction, label):
    """dl/dz of the sigmoid output for one sample, as the code computes it with m = 1."""
    if loss == "mse":
        # grouped so that sympy does not distribute the 2 over (prediction - label)
        return 2 * ((prediction - label) * prediction * (1 - prediction))
    if loss == "half-mse":
        # the 1/2 cancels the square's 2: the code's (1/m)(y_hat - y) sigma'(z) with m = 1
        return (prediction - label) * prediction * (1 - prediction)
    assert loss == "bce", loss
    return prediction - label


def softplus(u):
    """log(1 + e^u)."""
    return sp.log(1 + sp.exp(u))


def output_delta_lemma(loss):
    """d/dz of the loss of sigma(z), with sigma written out, is the code's output delta."""
    s = sigmoid.exp_form(z)
    return by_simplifying(sp.diff(per_sample(loss, s, y), z), output_delta(loss, s, y))


def network_rule_is_code_formula(loss):
    """With the opaque sigma of the network derivations, sympy's dl/dz is the code's output delta."""
    return by_expanding(sp.diff(per_sample(loss, sigma(z), y), z), output_delta(loss, sigma(z), y))


def cross_entropy_by_y_hat():
    """dl/dy_hat = -y/y_hat + (1-y)/(1-y_hat) = (y_hat - y) / (y_hat (1 - y_hat))."""
    return by_simplifying(sp.diff(per_sample("bce", y_hat, y), y_hat), (y_hat - y) / (y_hat * (1 - y_hat)))


def cross_entropy_is_softplus_form():
    """-[y log sigma(z) + (1-y) log(1 - sigma(z))] = softplus(z) - y z."""
    return by_simplifying(per_sample("bce", sigmoid.exp_form(z), y), softplus(z) - y * z)


def code_softplus(u):
    """The code's softplus: max(u, 0) + log1p(e^-|u|) (scalar_net/losses.py)."""
    return sp.Max(u, 0) + log1p(sp.exp(-sp.Abs(u)))


def code_softplus_is_softplus():
    """For z >= 0 and for z < 0 (the code's two cases of max and |z|): the code's form is softplus."""
    return tuple(by_simplifying(code_softplus(u).rewrite(sp.log), softplus(u))
                 for u in (z_nonnegative, z_negative))


#: Every lemma of this file by name, each a function returning its Claim (for the tests).
LEMMAS = {
    "mse: dl/dz = 2 (y_hat - y) y_hat (1 - y_hat)": partial(output_delta_lemma, "mse"),
    "half-mse: dl/dz = (y_hat - y) y_hat (1 - y_hat)": partial(output_delta_lemma, "half-mse"),
    "bce: dl/dy_hat = (y_hat - y) / (y_hat (1 - y_hat))": cross_entropy_by_y_hat,
    "bce: dl/dz = y_hat - y": partial(output_delta_lemma, "bce"),
    "bce = softplus(z) - y z": cross_entropy_is_softplus_form,
    "the code's softplus for z >= 0": lambda: code_softplus_is_softplus()[0],
    "the code's softplus for z < 0": lambda: code_softplus_is_softplus()[1],
    **{f"{loss}: sympy's rule for the network = the code's output delta": partial(network_rule_is_code_formula, loss)
       for loss in options.LOSSES},
}


def document():
    """The Markdown of 07_losses.md."""
    mse = output_delta_lemma("mse")
    half = output_delta_lemma("half-mse")
    by_y_hat = cross_entropy_by_y_hat()
    bce = output_delta_lemma("bce")
    softplus_form = cross_entropy_is_softplus_form()
    nonnegative, negative = code_softplus_is_softplus()
    blocks = [
        render.header("The losses and the output delta", "derivations/losses.py"),
        "The output neuron is a sigmoid, $\\hat y = \\sigma(z)$, where $z$ is its weighted input. "
        "Backpropagation starts from the output delta $\\delta = \\partial \\ell / \\partial z$; "
        "this file derives it for the three losses of the lab (`backprop_lab.options.LOSSES`).",
        "## One sample and a batch",
        "The loss of a batch of $m$ samples is the mean of one term per sample "
        "(`backprop_lab/conventions.py`):",
        render.display(r"L = \frac{1}{m} \sum_{s=0}^{m-1} \ell_s, \qquad "
                       rf"\ell^{{\mathrm{{MSE}}}} = {STATED['mse'][0]}, \qquad "
                       rf"\ell^{{\frac12\mathrm{{MSE}}}} = {STATED['half-mse'][0]}, \qquad "
                       rf"\ell^{{\mathrm{{BCE}}}} = {STATED['bce'][0]}"),
        "Differentiation is linear, so $\\partial L / \\partial\\theta = \\frac1m \\sum_s "
        "\\partial \\ell_s / \\partial \\theta$. The derivations work with one sample's $\\ell$; the "
        "code's deltas carry the factor $\\frac1m$ (`output_delta(kind, y_hat, y, m)`), so that "
        "summing over the batch gives $\\partial L/\\partial\\theta$ directly.",
        "## Mean squared error",
        render.display(r"\delta = \frac{\partial \ell}{\partial z} = \frac{\partial \ell}{\partial \hat y}"
                       r"\,\sigma'(z) = 2(\hat y - y)\,\hat y(1 - \hat y)"),
        "With $\\sigma$ written out, sympy differentiates $\\left(\\sigma(z) - y\\right)^2$:",
        render.display(rf"\frac{{d}}{{dz}}{render.tex(per_sample('mse', sigmoid.exp_form(z), y))} "
                       rf"= {render.tex(mse.lhs)}"),
        render.sympy_says(mse),
        "The factor $\\hat y(1-\\hat y)$ is at most $\\frac14$ and goes to 0 when the sigmoid "
        "saturates: an output stuck near 0 or 1 learns slowly under MSE even when it is wrong.",
        "## Half mean squared error",
        "Nielsen's and Mazur's convention (`--loss half-mse`) puts a $\\frac12$ in front of each "
        "sample's square, $L = \\frac{1}{2m} \\sum_s (\\hat y_s - y_s)^2$, so that it cancels the 2 "
        "the square's derivative brings down:",
        render.display(r"\delta = \frac{\partial \ell}{\partial z} = \frac{\partial \ell}{\partial \hat y}"
                       r"\,\sigma'(z) = (\hat y - y)\,\hat y(1 - \hat y)"),
        render.display(rf"\frac{{d}}{{dz}}{render.tex(per_sample('half-mse', sigmoid.exp_form(z), y))} "
                       rf"= {render.tex(half.lhs)}"),
        render.sympy_says(half),
        "The code keeps the $\\frac12$ in the sample's term, $0.5\\,(\\hat y - y)^2$, and writes the "
        "output delta as derived, $\\frac1m(\\hat y - y)\\,\\hat y(1 - \\hat y)$. Every loss, delta and "
        "gradient is half of MSE's; with plain gradient descent, half-MSE at step size $2\\eta$ takes "
        "the same steps as MSE at $\\eta$.",
        "## Binary cross-entropy: the cancellation",
        "By $\\hat y$ first:",
        render.display(rf"\frac{{\partial \ell}}{{\partial \hat y}} = {render.tex(by_y_hat.lhs)} "
                       rf"= {render.tex(by_y_hat.rhs)}"),
        render.sympy_says(by_y_hat),
        "Multiplying by $\\sigma'(z) = \\hat y(1 - \\hat y)$ "
        "([01_sigmoid.md](01_sigmoid.md)) cancels the denominator:",
        render.display(r"\delta = \frac{\partial \ell}{\partial z} = \frac{\hat y - y}{\hat y(1-\hat y)}"
                       r"\cdot \hat y(1 - \hat y) = \hat y - y"),
        "Sympy, from the written-out sigmoid:",
        render.display(rf"\frac{{d}}{{dz}}\left({render.tex(per_sample('bce', sigmoid.exp_form(z), y))}\right) "
                       rf"= {render.tex(bce.lhs)}"),
        render.sympy_says(bce),
        "No $\\sigma'$ factor is left, so a saturated wrong output still gets the full error "
        "$\\hat y - y$.",
        "## Binary cross-entropy in the code's finite form",
        "For large $|z|$ the sigmoid rounds to exactly 0 or 1 in double precision (from about "
        "$z = 37$ on, $1 - \\sigma(z)$ rounds to 0), and $\\log 0 = -\\infty$. The code never forms "
        "$\\log \\hat y$: it writes the loss from $z$,",
        render.display(rf"{render.tex(softplus_form.lhs)} = {render.tex(softplus_form.rhs)}, "
                       rf"\qquad \operatorname{{softplus}}(z) = {render.tex(softplus(z))}"),
        render.sympy_says(softplus_form),
        "and computes softplus so that `exp` is only given non-positive numbers:",
        render.display(r"\operatorname{softplus}(z) = \max(z, 0) + \operatorname{log1p}\left(e^{-|z|}\right)"),
        "On the branch $z \\ge 0$ this is "
        f"{render.inline(render.tex(nonnegative.lhs))}; for $z < 0$ it is "
        f"{render.inline(render.tex(negative.lhs))} (with $\\operatorname{{log1p}}(u) = \\log(1 + u)$). "
        f"Against {render.inline(render.tex(softplus(z)))} the differences simplify to "
        f"{render.inline(render.tex(nonnegative.residual))} and {render.inline(render.tex(negative.residual))}: "
        f"**{'proved' if nonnegative.proved and negative.proved else 'NOT proved'}**.",
        "Its derivative, $\\sigma(z) - y$, is the output delta above.",
        "## What the network derivations use",
        "They keep $\\sigma$ unevaluated, with $\\sigma' = \\sigma(1-\\sigma)$. With that rule "
        "sympy's derivative of each loss by $z$ is, term for term, the code's output delta with "
        "$m = 1$:",
        render.table(["loss", "$\\ell$", "$\\delta = \\partial\\ell/\\partial z$ in the code, "
                      "$\\hat y = \\sigma(z)$", "sympy's rule = code's"],
                     [[f"`{loss}`", render.inline(STATED[loss][0]), render.inline(STATED[loss][1]),
                       render.verdict(network_rule_is_code_formula(loss))] for loss in options.LOSSES]),
    ]
    return render.page(blocks)
