"""The hidden activations of backprop_lab.options.ACTIVATIONS: each one's derivative lemma, proved.

Inside the network derivations every activation (but the identity) is an unevaluated sympy
function whose derivative is *defined* as the formula the code uses (``derivative`` in
scalar_net/activations.py): that keeps sympy fast (see derivations/sigmoid.py).  Each such
definition is justified here by a lemma that sympy proves from the activation written out
(``formula``), with ``exp`` or as a piecewise function.
"""

from dataclasses import dataclass
from functools import partial
from typing import Callable

import sympy as sp
from sympy.codegen.cfunctions import expm1

from backprop_lab import options
from derivations import notation, render, sigmoid
from derivations.proof import by_expanding, by_simplifying
from derivations.sigmoid import sigma, z

FILENAME = "06_activations.md"

#: The leaky ReLU's slope for z < 0 (the code's ``leaky_slope``, default options.DEFAULT_LEAKY_SLOPE).
alpha = notation.symbol("alpha", r"\alpha", positive=True)

# Signed copies of z, for the two sides of a kink and for the code's branches on the sign of z.
z_positive = notation.symbol("z", "z", positive=True)
z_negative = notation.symbol("z", "z", negative=True)
z_nonnegative = notation.symbol("z", "z", nonnegative=True)
h = notation.symbol("h", "h", positive=True)  # a step away from the kink at 0


def _named(latex_name):
    """A ``_latex`` method printing ``latex_name(argument)``."""

    def _latex(self, printer):
        return rf"{latex_name}\left({printer._print(self.args[0])}\right)"

    return _latex


class Tanh(sp.Function):
    """tanh(u), unevaluated; derivative 1 - tanh(u)^2 (tanh_derivative)."""

    nargs = 1
    _latex = _named(r"\tanh")

    def fdiff(self, argindex=1):
        return 1 - self**2


class ReluSlope(sp.Function):
    """relu'(u) as the code computes it: 1 if u > 0 else 0 (at the kink u = 0 the code says 0)."""

    nargs = 1
    _latex = _named(r"\operatorname{relu}'")


class Relu(sp.Function):
    """relu(u) = max(u, 0), unevaluated; derivative ReluSlope(u) away from u = 0."""

    nargs = 1
    _latex = _named(r"\operatorname{relu}")

    def fdiff(self, argindex=1):
        return ReluSlope(self.args[0])


class LeakyReluSlope(sp.Function):
    """leaky_relu'(u) as the code computes it: 1 if u > 0 else alpha (alpha also at u = 0)."""

    nargs = 1
    _latex = _named(r"\operatorname{leaky}'")


class LeakyRelu(sp.Function):
    """leaky_relu(u) = u if u > 0 else alpha u, unevaluated; derivative LeakyReluSlope(u)."""

    nargs = 1
    _latex = _named(r"\operatorname{leaky}")

    def fdiff(self, argindex=1):
        return LeakyReluSlope(self.args[0])


class Silu(sp.Function):
    """silu(u) = u sigma(u), unevaluated; derivative s (1 + u (1 - s)) with s = sigma(u)."""

    nargs = 1
    _latex = _named(r"\operatorname{silu}")

    def fdiff(self, argindex=1):
        s = sigma(self.args[0])
        return s * (1 + self.args[0] * (1 - s))


#: Each opaque function written out: what the lemmas are proved from and what numbers come from.
FORMULAS = {
    Silu: lambda u: u * sigmoid.exp_form(u),  # before sigma: silu's derivative contains sigma
    sigma: sigmoid.exp_form,
    Tanh: sp.tanh,
    Relu: lambda u: sp.Piecewise((u, u > 0), (0, True)),
    ReluSlope: lambda u: sp.Piecewise((1, u > 0), (0, True)),
    LeakyRelu: lambda u: sp.Piecewise((u, u > 0), (alpha * u, True)),
    LeakyReluSlope: lambda u: sp.Piecewise((1, u > 0), (alpha, True)),
}


def written_out(expr):
    """``expr`` with every opaque activation replaced by its formula (exp / piecewise)."""
    for function, formula in FORMULAS.items():  # a fixed order: a dict keeps insertion order
        expr = expr.replace(function, formula)
    return expr


@dataclass(frozen=True)
class Activation:
    """A hidden activation g as the derivations use it.

    of:         u -> g(u) inside the network (opaque where sympy needs the lemma to stay fast)
    derivative: (u, a) -> g'(u), from u and a = g(u), operation for operation the code's formula
    """

    name: str
    of: Callable
    derivative: Callable


ACTIVATIONS = {
    "sigmoid": Activation("sigmoid", sigma, lambda u, a: a * (1 - a)),
    "tanh": Activation("tanh", Tanh, lambda u, a: 1 - a * a),
    "relu": Activation("relu", Relu, lambda u, a: ReluSlope(u)),
    "leaky-relu": Activation("leaky-relu", LeakyRelu, lambda u, a: LeakyReluSlope(u)),
    "silu": Activation("silu", Silu, lambda u, a: sigma(u) * (1 + u * (1 - sigma(u)))),
    "identity": Activation("identity", lambda u: u, lambda u, a: sp.S.One),
}
assert tuple(ACTIVATIONS) == options.ACTIVATIONS, "one entry per activation the trainers support"


# --- the rule the network derivations use is the code's formula --------------------------------

def network_rule_is_code_formula(name):
    """d/du g(u), as sympy differentiates the opaque g, equals the code's g'(u) given a = g(u)."""
    activation = ACTIVATIONS[name]
    g = activation.of(z)
    return by_expanding(sp.diff(g, z), activation.derivative(z, g))


# --- the lemmas, from the written-out formulas ---------------------------------------------------

def tanh_derivative():
    """tanh' = 1 - tanh^2, with tanh written with exp."""
    t = sp.tanh(z).rewrite(sp.exp)
    return by_simplifying(sp.diff(t, z), 1 - t**2)


def tanh_code_formula():
    """For z >= 0 the code's -expm1(-2z) / (2 + expm1(-2z)), with expm1(u) = e^u - 1, is tanh z."""
    u = expm1(-2 * z_nonnegative)
    return by_simplifying((-u / (2 + u)).rewrite(sp.exp), sp.tanh(z_nonnegative).rewrite(sp.exp))


def tanh_is_odd():
    """tanh(-z) = -tanh(z): why the code may compute tanh |z| and put the sign of z back."""
    return by_simplifying(sp.tanh(-z).rewrite(sp.exp), -sp.tanh(z).rewrite(sp.exp))


def _slope_claims(function, slope):
    """Derivative of a piecewise-linear activation on each side of 0, against the code's slope."""
    positive = by_simplifying(sp.diff(written_out(function(z_positive)), z_positive),
                              written_out(slope(z_positive)))
    negative = by_simplifying(sp.diff(written_out(function(z_negative)), z_negative),
                              written_out(slope(z_negative)))
    return positive, negative


def relu_derivative():
    """relu'(z) = 1 for z > 0 and 0 for z < 0, as the code's ReluSlope says."""
    return _slope_claims(Relu, ReluSlope)


def leaky_relu_derivative():
    """leaky'(z) = 1 for z > 0 and alpha for z < 0, as the code's LeakyReluSlope says."""
    return _slope_claims(LeakyRelu, LeakyReluSlope)


def one_sided_quotients(function):
    """(g(h) - g(0)) / h and (g(-h) - g(0)) / (-h) for h > 0: the slopes from the right and left."""
    g = lambda u: written_out(function(u))  # noqa: E731
    return sp.simplify((g(h) - g(0)) / h), sp.simplify((g(-h) - g(0)) / (-h))


def silu_derivative():
    """silu'(z) = s (1 + z (1 - s)) with s = sigma(z), from silu(z) = z / (1 + e^-z)."""
    formula = written_out(Silu(z))
    s = sigmoid.exp_form(z)
    return by_simplifying(sp.diff(formula, z), s * (1 + z * (1 - s)))


def identity_derivative():
    """identity' = 1."""
    return by_simplifying(sp.diff(z, z), sp.S.One)


#: Every lemma of this file by name, each a function returning its Claim (for the tests); the
#: piecewise-linear activations are proved on both sides of their kink.
LEMMAS = {
    "sigmoid: sigma' = sigma (1 - sigma)": sigmoid.derivative_lemma,
    "tanh: tanh' = 1 - tanh^2": tanh_derivative,
    "tanh: the code's expm1 formula is tanh for z >= 0": tanh_code_formula,
    "tanh: odd, as the code's branch for z < 0 needs": tanh_is_odd,
    "relu: slope 1 for z > 0": lambda: relu_derivative()[0],
    "relu: slope 0 for z < 0": lambda: relu_derivative()[1],
    "leaky-relu: slope 1 for z > 0": lambda: leaky_relu_derivative()[0],
    "leaky-relu: slope alpha for z < 0": lambda: leaky_relu_derivative()[1],
    "silu: silu' = s (1 + z (1 - s))": silu_derivative,
    "identity: identity' = 1": identity_derivative,
    **{f"{name}: sympy's rule for the network = the code's g'": partial(network_rule_is_code_formula, name)
       for name in ACTIVATIONS},
}


# --- the Markdown ---------------------------------------------------------------------------------

def _summary_rows():
    a = notation.symbol("a", "a")
    rows = []
    for name, activation in ACTIVATIONS.items():
        g = activation.of(z)
        formula = written_out(g).rewrite(sp.exp)
        definition = f"{render.tex(g)} = {render.one_line(formula)}" if formula != g else render.tex(g)
        # the slopes of relu and leaky-relu are opaque; the others read best in terms of a or sigma
        code_derivative = activation.derivative(z, a)
        for slope in (ReluSlope, LeakyReluSlope):
            code_derivative = code_derivative.replace(slope, FORMULAS[slope])
        rows.append([f"`{name}`", render.inline(definition), render.inline(render.one_line(code_derivative)),
                     render.verdict(network_rule_is_code_formula(name))])
    return rows


def _piecewise_section(title, function, slope, claims, code_at_kink):
    right, left = claims
    from_right, from_left = one_sided_quotients(function)
    return [
        f"### {title}",
        render.display(rf"{render.tex(function(z))} = {render.tex(written_out(function(z)))}"),
        "On each side of the kink the function is linear, and sympy differentiates each piece "
        "(with $z$ declared positive, then negative):",
        render.aligned([(rf"\frac{{d}}{{dz}}{render.tex(function(z))}\Big|_{{z>0}}", render.tex(right.lhs)),
                        (rf"\frac{{d}}{{dz}}{render.tex(function(z))}\Big|_{{z<0}}", render.tex(left.lhs))]),
        f"Against the code's slope, {render.inline(render.tex(written_out(slope(z))))}: "
        f"for $z > 0$ the difference is {render.inline(render.tex(right.residual))}, for $z < 0$ "
        f"it is {render.inline(render.tex(left.residual))}: "
        f"**{'proved' if right.proved and left.proved else 'NOT proved'}**.",
        "At $z = 0$ there is no derivative: the difference quotients from the right and from "
        f"the left are {render.inline(render.tex(from_right))} and "
        f"{render.inline(render.tex(from_left))} for every step $h > 0$. The code uses "
        f"there {code_at_kink} (its test is `z > 0`); any value between the two one-sided slopes "
        "is a valid subgradient, and random real inputs hit exactly 0 with probability 0.",
    ]


def document():
    """The Markdown of 06_activations.md."""
    tanh_lemma = tanh_derivative()
    code_tanh = tanh_code_formula()
    silu = silu_derivative()
    blocks = [
        render.header("Hidden activations and their derivatives", "derivations/activations.py"),
        "The hidden layers use one activation $g$, chosen with the `activation=` option of both "
        "trainers (one of `backprop_lab.options.ACTIVATIONS`); the output neuron is always a "
        "sigmoid. In the code every activation is a pair, $g$ and $g'$ "
        "(`scalar_net/activations.py`, operation for operation the same in "
        "`matrix_net/activations.py`), and $g'$ is computed from $z$ and the activation "
        "$a = g(z)$ already at hand. Backpropagation uses $g'$ in one place only:",
        render.display(r"\delta^{(l)}_{i} = g'\left(z^{(l)}_{i}\right) "
                       r"\sum_{j} w^{(l+1)}_{ij}\, \delta^{(l+1)}_{j}"),
        "## Summary",
        "The derivations keep each activation as an unevaluated sympy function whose derivative "
        "is *defined* as the code's $g'$ (column three). The last column says that sympy, "
        "differentiating that function, gets exactly the code's formula; the lemmas below prove "
        "that the formula is the true derivative of $g$ written out.",
        render.table(["activation", "$g(z)$", "$g'(z)$ in the code, with $a = g(z)$",
                      "sympy's rule = code's"], _summary_rows()),
        "## sigmoid",
        render.display(r"\sigma'(z) = \sigma(z)\left(1 - \sigma(z)\right) = a(1 - a)"),
        f"Proved in [01_sigmoid.md](01_sigmoid.md). "
        f"{render.sympy_says(sigmoid.derivative_lemma())}",
        "## tanh",
        render.display(r"\tanh'(z) = 1 - \tanh^2(z) = 1 - a^2"),
        "With $\\tanh z$ written with exponentials, sympy differentiates:",
        render.display(rf"\frac{{d}}{{dz}} {render.tex(sp.tanh(z).rewrite(sp.exp))} = {render.tex(tanh_lemma.lhs)}"),
        render.sympy_says(tanh_lemma),
        "The code does not call a library `tanh` (NumPy's and the C library's differ in the last "
        "bit for about half of all inputs, which would break the bitwise agreement of the two "
        "trainers). It computes, from `expm1(u)` $= e^u - 1$ (accurate for small $u$):",
        render.display(r"\tanh z = \frac{-\operatorname{expm1}(-2z)}{2 + \operatorname{expm1}(-2z)}"
                       rf" = {render.tex(code_tanh.lhs)} \qquad (z \ge 0)"),
        render.sympy_says(code_tanh),
        "For $z < 0$ it computes $\\tanh |z|$ and changes the sign, which is right because tanh is odd:",
        render.display(r"\tanh(-z) = -\tanh(z)"),
        render.sympy_says(tanh_is_odd()),
        "## relu and leaky-relu",
        *_piecewise_section("relu", Relu, ReluSlope, relu_derivative(), "the left slope, 0,"),
        *_piecewise_section("leaky-relu", LeakyRelu, LeakyReluSlope, leaky_relu_derivative(),
                            r"the left slope, $\alpha$,"),
        "Here $\\alpha$ is the `leaky_slope` option (default "
        f"{options.DEFAULT_LEAKY_SLOPE}).",
        "## silu",
        render.display(rf"{render.tex(Silu(z))} = z\,\sigma(z) = {render.tex(written_out(Silu(z)))}, "
                       r"\qquad \operatorname{silu}'(z) = s\left(1 + z(1 - s)\right), \quad s = \sigma(z)"),
        "Sympy differentiates the written-out form:",
        render.display(rf"\frac{{d}}{{dz}} {render.tex(written_out(Silu(z)))} = {render.tex(silu.lhs)}"),
        render.sympy_says(silu),
        "The code's backward pass recomputes $s = \\sigma(z)$ from $z$.",
        "## identity",
        render.display(rf"g(z) = z, \qquad g'(z) = {render.tex(identity_derivative().lhs)}"),
        render.sympy_says(identity_derivative()),
        "With it the hidden layers do nothing non-linear; "
        "[05_no_activation.md](05_no_activation.md) shows what that costs.",
    ]
    return render.page(blocks)
