"""The sigmoid and its lemma sigma' = sigma (1 - sigma), proved by sympy from the exp form.

Every other derivation uses ``sigma``: a sympy function left unevaluated, whose derivative is
*defined* to be sigma (1 - sigma).  The lemma proved here is what entitles us to that definition.
Writing the sigmoid out with ``exp`` inside a 2-4-4-1 network instead makes the expressions so
large that simplifying one first-layer gradient takes minutes to hours; with the opaque sigma,
differentiating and checking all 37 parameters takes about a second.
"""

import sympy as sp

from derivations import notation, render
from derivations.proof import by_expanding, by_simplifying

FILENAME = "01_sigmoid.md"

z = notation.symbol("z", "z", real=True)
w, x, b = (notation.symbol(name, name, real=True) for name in ("w", "x", "b"))


class sigma(sp.Function):
    """sigma(u), unevaluated; its derivative is sigma(u) (1 - sigma(u)), by derivative_lemma."""

    nargs = 1

    def _latex(self, printer):
        return rf"\sigma\left({printer._print(self.args[0])}\right)"

    def fdiff(self, argindex=1):
        if argindex != 1:
            raise sp.ArgumentIndexError(self, argindex)
        return self * (1 - self)


def exp_form(u):
    """sigma(u) written out: 1 / (1 + e^-u)."""
    return 1 / (1 + sp.exp(-u))


def derivative_lemma():
    """sigma'(z) = sigma(z) (1 - sigma(z)), from the exp form."""
    s = exp_form(z)
    return by_simplifying(sp.diff(s, z), s * (1 - s))


def complement_identity():
    """1 - sigma(z) = e^-z / (1 + e^-z): the step a student takes to see the lemma."""
    return by_simplifying(1 - exp_form(z), sp.exp(-z) / (1 + sp.exp(-z)))


def negative_branch_identity():
    """The code's branch for z < 0, e^z / (1 + e^z), is the same function as 1 / (1 + e^-z)."""
    return by_simplifying(sp.exp(z) / (1 + sp.exp(z)), exp_form(z))


def symmetry_identity():
    """1 - sigma(z) = sigma(-z)."""
    return by_simplifying(1 - exp_form(z), exp_form(-z))


def value_at_zero():
    """sigma(0) = 1/2: the decision threshold y_hat > 1/2 is the line z = 0."""
    return by_simplifying(exp_form(sp.S.Zero), sp.Rational(1, 2))


def derivative_is_positive():
    """Whether sympy can tell that sigma'(z) > 0 for every real z (so sigma is increasing)."""
    return bool(sp.diff(exp_form(z), z).is_positive)


def opaque_chain_rule():
    """d/dw sigma(w x + b) as sympy computes it for the opaque sigma: the lemma times the chain rule."""
    u = w * x + b
    return by_expanding(sp.diff(sigma(u), w), sigma(u) * (1 - sigma(u)) * x)


def document():
    """The Markdown of 01_sigmoid.md."""
    s = sigma(z)
    lemma = derivative_lemma()
    chain = opaque_chain_rule()
    positive = derivative_is_positive()
    blocks = [
        render.header("The sigmoid and its derivative", "derivations/sigmoid.py"),
        "The output neuron of every network in the lab is a sigmoid, and so are the hidden neurons "
        "by default. Everything backpropagation does with it rests on one lemma, proved here.\n",
        "## Definition\n",
        render.display(rf"{render.tex(s)} = {render.tex(exp_form(z))}"),
        "The code (`scalar_net/activations.py`, `matrix_net/activations.py`) computes it on two "
        "branches so that `exp` is only ever given a non-positive number: $e^{-z}$ overflows for "
        "$z < -709$ in double precision (Python's `math.exp` raises `OverflowError`, NumPy warns "
        "and returns infinity). On the branch for $z < 0$ it uses",
        render.display(rf"{render.tex(s)} = {render.tex(negative_branch_identity().lhs)} \qquad (z < 0)"),
        render.sympy_says(negative_branch_identity()),
        "## Lemma: the derivative is $\\sigma(1-\\sigma)$\n",
        render.display(r"\sigma'(z) = \sigma(z)\left(1 - \sigma(z)\right)"),
        "Sympy differentiates the definition:",
        render.display(rf"\frac{{d}}{{dz}} {render.tex(exp_form(z))} = {render.tex(lemma.lhs)}"),
        "and writes the right side of the lemma with the definition put in for $\\sigma$:",
        render.display(rf"\sigma(z)\left(1 - \sigma(z)\right) = {render.tex(lemma.rhs)}"),
        render.sympy_says(lemma),
        "By hand, the step that makes it visible is the complement:",
        render.display(rf"1 - {render.tex(s)} = {render.tex(complement_identity().lhs)} "
                       rf"= {render.tex(complement_identity().rhs)}"),
        render.sympy_says(complement_identity()),
        "So $\\sigma(1-\\sigma) = \\frac{1}{1+e^{-z}} \\cdot \\frac{e^{-z}}{1+e^{-z}}$, "
        "which is the derivative above.\n",
        "The trainers use the lemma in this form: the backward pass never evaluates $e^{-z}$ "
        "again but forms $\\sigma'(z)$ from the activation $a = \\sigma(z)$ it already has, "
        "as `a * (1 - a)` (`backprop_lab/conventions.py` fixes that this factor is formed first).\n",
        "## Three facts used later\n",
        render.display(rf"\sigma(0) = {render.tex(value_at_zero().rhs)}"),
        render.sympy_says(value_at_zero()),
        render.display(rf"1 - {render.tex(s)} = {render.tex(sigma(-z))}"),
        render.sympy_says(symmetry_identity()),
        render.display(r"\sigma'(z) = \frac{e^{-z}}{\left(1 + e^{-z}\right)^{2}} > 0 "
                       r"\quad \text{for every real } z"),
        f"Sympy: positive for every real $z$: **{'proved' if positive else 'NOT proved'}**. "
        "So $\\sigma$ is strictly increasing, and $\\hat y = \\sigma(z) > \\frac12$ exactly when "
        "$z > 0$: the decision boundary of a sigmoid output is where its weighted input is 0 "
        "(used in [05_no_activation.md](05_no_activation.md)).\n",
        "## How the other derivations use the lemma\n",
        "Written out with `exp`, the sigmoids of a 2-4-4-1 network nest three deep and sympy's "
        "expressions for the gradient of one first-layer weight grow so large that simplifying "
        "them takes minutes to hours. The other derivations therefore keep $\\sigma$ as an "
        "unevaluated sympy function and *define* its derivative by the lemma just proved:\n",
        "```python\n"
        "class sigma(sympy.Function):\n"
        "    def fdiff(self, argindex=1):\n"
        "        return self * (1 - self)      # sigma' = sigma (1 - sigma)\n"
        "```\n",
        "Sympy's chain rule then does the rest. For one neuron with weight $w$, input $x$, bias $b$:",
        render.display(rf"\frac{{\partial}}{{\partial w}} {render.tex(sigma(w * x + b))} "
                       rf"= {render.tex(chain.lhs)}"),
        render.sympy_says(chain, how="expands"),
        "With that, differentiating and checking all 37 parameters of the 2-4-4-1 network takes "
        "about a second.\n",
    ]
    return render.page(blocks)
