"""Element-wise backpropagation derived, for one sample: brute force against the recurrence.

For every parameter theta the gradient dl/dtheta is found twice:

* brute force: sympy differentiates the full expression of the loss (symbolic_net) by theta;
* backpropagation: the recurrence of scalar_net/backprop.py,
      delta of the output       = the loss's output delta (losses.output_delta),
      delta^{(l)}_i             = g'(z^{(l)}_i) sum_j w^{(l+1)}_{ij} delta^{(l+1)}_j,
      dl/dw^{(l)}_{ij}          = a^{(l-1)}_i delta^{(l)}_j,     dl/db^{(l)}_j = delta^{(l)}_j,
  written in the local symbols and then expanded in full,

and sympy proves the two equal by expanding their difference to 0.
"""

from dataclasses import dataclass, field
from functools import lru_cache

import sympy as sp

from backprop_lab.network import LAB_SIZES
from derivations import chain_rule, losses, notation, render, symbolic_net
from derivations.proof import by_expanding


@dataclass
class Derivation:
    """The gradient of one sample's loss, parameter by parameter, found both ways.

    delta_symbols[l][j], delta_local[l][j]: delta^{(l)}_j as a symbol and as the recurrence gives it
        in local symbols (the deltas of layer l+1 and the a, z of layer l)
    delta[l][j]:    the same, in full
    brute_force:    label -> sympy's dl/dtheta of the full loss
    backprop:       label -> (activation below, delta above), both in full; their product is dl/dtheta
    """

    net: symbolic_net.Net
    delta_symbols: list
    delta_local: list
    delta: list
    brute_force: dict
    backprop: dict
    _claims: dict = field(default_factory=dict)

    def gradient_local(self, parameter):
        """dl/dtheta as backpropagation writes it: a^{(l-1)}_i delta^{(l)}_j, or delta^{(l)}_j for a bias."""
        delta = self.delta_symbols[parameter.layer][parameter.column]
        if parameter.row is None:
            return delta
        return self.net.a_symbols[parameter.layer - 1][parameter.row] * delta

    def claim(self, label):
        """Brute force = activation below times delta above, checked by expanding the difference."""
        if label not in self._claims:
            below, above = self.backprop[label]
            self._claims[label] = by_expanding(self.brute_force[label], below * above)
        return self._claims[label]


def _backprop_factors(net, delta, parameter):
    """(activation below, delta above) for a parameter: dl/dw_ij = a_i delta_j, dl/db_j = 1 delta_j."""
    above = delta[parameter.layer][parameter.column]
    if parameter.row is None:
        return sp.S.One, above
    return net.a[parameter.layer - 1][parameter.row], above


@lru_cache(maxsize=None)
def derive(sizes=LAB_SIZES, bias=True, activation="sigmoid", loss="mse", sample=None):
    """The Derivation for the network ``sizes`` (with or without biases), hidden ``activation``, ``loss``."""
    net = symbolic_net.build(tuple(sizes), bias, activation, loss, sample)
    L = net.output_layer
    delta_symbols = [None] + [[notation.delta(l, j, sample) for j in range(net.sizes[l])] for l in range(1, L + 1)]
    delta_local = [None] * (L + 1)
    delta = [None] * (L + 1)
    # Output neuron: the loss's delta, dl/dz of the sigmoid output.
    delta_local[L] = [losses.output_delta(loss, net.a_symbols[L][0], net.y)]
    delta[L] = [net.substitute(delta_local[L][0], L)]
    for l in range(L - 1, 0, -1):
        g = net.g(l)
        # a^{(l)}_i feeds every neuron j above it, so dl/da_i = sum_j w_ij delta_j; times g'(z_i).
        delta_local[l] = [
            g.derivative(net.z_symbols[l][i], net.a_symbols[l][i])
            * sum((net.weights[l + 1][i][j] * delta_symbols[l + 1][j] for j in range(net.sizes[l + 1])), sp.S.Zero)
            for i in range(net.sizes[l])
        ]
        above = dict(zip(delta_symbols[l + 1], delta[l + 1]))
        delta[l] = [net.substitute(expr, l).xreplace(above) for expr in delta_local[l]]
    brute_force = {p.label: sp.diff(net.loss, p.symbol) for p in net.parameters}
    backprop = {p.label: _backprop_factors(net, delta, p) for p in net.parameters}
    return Derivation(net, delta_symbols, delta_local, delta, brute_force, backprop)


# --- the Markdown ---------------------------------------------------------------------------------

def _parameter_count_tex(sizes, bias):
    terms = [f"{m} \\cdot {n}" + (f" + {n}" if bias else "") for m, n in zip(sizes[:-1], sizes[1:])]
    return " + ".join(f"({t})" if bias else t for t in terms)


def _notation_table(net):
    L = net.output_layer
    rows = [
        ["`X[s, i]`", "$x_{i}$", "input $i$ of the sample ($= a^{(0)}_{i}$)"],
        ["`W{l}[i, j]` (`W[l, i, j]`)", "$w^{(l)}_{ij}$",
         "weight from neuron $i$ of layer $l-1$ to neuron $j$ of layer $l$"],
    ]
    if net.bias:
        rows.append(["`b{l}[j]` (`b[l, j]`)", "$b^{(l)}_{j}$", "bias of neuron $j$ of layer $l$"])
    rows += [
        ["`z[l, j]`", "$z^{(l)}_{j}$", "weighted input of neuron $j$ of layer $l$"],
        ["`a[l, j]`", "$a^{(l)}_{j}$", "its activation; the output " + f"$a^{{({L})}}_{{0}}$ is written $\\hat y$"],
        ["`delta[l, j]`", "$\\delta^{(l)}_{j}$",
         "$\\partial \\ell / \\partial z^{(l)}_{j}$, the error term of neuron $j$ of layer $l$"],
    ]
    return render.table(["code: parameter list (padded arrays of `scalar_net/backprop.py`)", "here", "meaning"],
                        rows)


def _forward_pass(net):
    blocks = []
    for layer in range(1, net.output_layer + 1):
        g = net.g(layer)
        rows = []
        for j in range(net.sizes[layer]):
            a, z = net.a_symbols[layer][j], net.z_symbols[layer][j]
            rows.append((render.tex(z), _in_code_order(net, layer, j)))
            rows.append((render.tex(a), render.tex(g.of(z))))
        name = "output layer" if layer == net.output_layer else "hidden layer"
        blocks += [f"Layer {layer} ({name}, {net.sizes[layer]} neuron{'s' if net.sizes[layer] > 1 else ''}):",
                   render.aligned(rows)]
    return blocks


def _in_code_order(net, layer, j):
    """z^{(l)}_j written as the code sums it: a_0 w_0j + a_1 w_1j + ... (+ b_j)."""
    terms = [f"{render.tex(net.a_symbols[layer - 1][i])} {render.tex(net.weights[layer][i][j])}"
             for i in range(net.sizes[layer - 1])]
    if net.bias:
        terms.append(render.tex(net.biases[layer][j]))
    return " + ".join(terms)


def _broken(expr):
    """LaTeX rows of a long gradient: a product with a sum in it is written with one term of the sum
    per row (a first-layer gradient has one term per path), so no row runs off the page."""
    sums = [f for f in sp.Mul.make_args(expr) if isinstance(f, sp.Add) and len(f.args) > 2]
    if len(sums) != 1:
        return [render.tex(expr)]
    total = sums[0]
    rest = sp.Mul(*[f for f in sp.Mul.make_args(expr) if f is not total])
    terms = [render.tex(t) for t in total.as_ordered_terms()]
    return ([rf"{render.tex(rest)} \Big({terms[0]}"] + [rf"\qquad + {t}" for t in terms[1:-1]]
            + [rf"\qquad + {terms[-1]}\Big)"])


def _brute_force_section(derivation):
    """Sympy's brute-force gradients, layer by layer, in the local symbols."""
    net = derivation.net
    blocks = []
    for layer in range(net.output_layer, 0, -1):
        lines = []
        for p in net.parameters:
            if p.layer != layer:
                continue
            rows = _broken(net.abbreviate(derivation.brute_force[p.label]))
            lines.append(rf"\frac{{\partial \ell}}{{\partial {render.tex(p.symbol)}}} &= {rows[0]}")
            lines += [f"&{row}" for row in rows[1:]]
        blocks += [f"Parameters of layer {layer}:",
                   render.display("\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}")]
    return blocks


def folded(summary, blocks):
    """Blocks folded under a summary line (GitHub shows them on a click); the blank lines keep
    their Markdown and math rendered."""
    return [f"<details>\n<summary>{summary}</summary>", *blocks, "</details>"]


def _recurrence_section(derivation):
    net = derivation.net
    L = net.output_layer
    blocks = [
        "**Output neuron.** Its delta is the derivative of the loss by its weighted input "
        "([07_losses.md](07_losses.md)):",
        render.aligned([(render.tex(derivation.delta_symbols[L][0]), render.tex(derivation.delta_local[L][0]))]),
    ]
    for l in range(L - 1, 0, -1):
        blocks += [
            f"**Layer {l}.** Neuron $i$ feeds every neuron $j$ of layer {l + 1} through "
            f"$w^{{({l + 1})}}_{{ij}}$, so $\\partial\\ell/\\partial a^{{({l})}}_i = \\sum_j "
            f"w^{{({l + 1})}}_{{ij}}\\,\\delta^{{({l + 1})}}_j$; times $\\sigma'(z) = a(1-a)$:"
            if net.activation == "sigmoid" else f"**Layer {l}.**",
            render.aligned([(render.tex(derivation.delta_symbols[l][i]), render.tex(derivation.delta_local[l][i]))
                            for i in range(net.sizes[l])]),
        ]
    gradient_rule = (r"\frac{\partial \ell}{\partial w^{(l)}_{ij}} = a^{(l-1)}_{i}\,\delta^{(l)}_{j}"
                     + (r", \qquad \frac{\partial \ell}{\partial b^{(l)}_{j}} = \delta^{(l)}_{j}" if net.bias else ""))
    blocks += [
        "**Gradients.** $z^{(l)}_j$ depends on $w^{(l)}_{ij}$ only through the one term "
        "$a^{(l-1)}_i w^{(l)}_{ij}$" + (" and on $b^{(l)}_j$ through $+\\,b^{(l)}_j$" if net.bias else "") + ", so",
        render.display(gradient_rule),
        "which is one line per parameter in the table of section 6 (`gradients` in "
        "`scalar_net/backprop.py`, per sample, before the sum over the batch).",
    ]
    return blocks


def _verdict_table(derivation):
    rows = []
    for number, p in enumerate(derivation.net.parameters, start=1):
        claim = derivation.claim(p.label)
        rows.append([str(number), f"`{p.label}`", render.inline(render.tex(p.symbol)),
                     render.inline(render.tex(derivation.gradient_local(p))),
                     render.inline(render.tex(claim.residual)), render.verdict(claim)])
    return render.table(["#", "parameter", "symbol", "backprop: $\\partial\\ell/\\partial\\theta$",
                         "brute force $-$ backprop, expanded", "sympy"], rows)


def document(bias):
    """The Markdown of 02_elementwise_2-4-4-1.md (bias=True) or 03_elementwise_no_bias.md."""
    derivation = derive(LAB_SIZES, bias)
    rule = chain_rule.chain_rule(derivation)
    net = derivation.net
    count = len(net.parameters)
    proved = sum(derivation.claim(p.label).proved for p in net.parameters)
    sizes = "-".join(map(str, net.sizes))
    title = (f"Backpropagation element by element: the {sizes} network with biases" if bias
             else f"Backpropagation element by element: the lab's bias-free {sizes} network")
    other = ("[03_elementwise_no_bias.md](03_elementwise_no_bias.md) does the same for the lab's "
             "bias-free network" if bias else
             "[02_elementwise_2-4-4-1.md](02_elementwise_2-4-4-1.md) does the same with biases")
    blocks = [
        render.header(title, "derivations/elementwise.py"),
        f"**Result: for all {count} parameters, sympy proves that backpropagation's gradient equals "
        f"the gradient found by brute-force differentiation ({proved} of {count} proved).** "
        "Section 3 works the chain rule by hand for one weight of each layer, factor by factor; "
        f"section 4 shows its repeated factors becoming the deltas. {other}.",
        "## The network",
        f"Layer sizes {sizes}: two inputs, two hidden layers of sigmoid neurons, one sigmoid output "
        f"$\\hat y$ (the lab's network, `backprop_lab.network.LAB_SIZES`). "
        f"{'With' if bias else 'Without'} biases it has "
        f"${_parameter_count_tex(net.sizes, bias)} = {count}$ parameters. The loss is derived for "
        "**one sample** $(x, y)$ with mean squared error,",
        render.display(rf"\ell = {losses.STATED['mse'][0]};"),
        "for a batch of $m$ samples the loss is $L = \\frac1m\\sum_s \\ell_s$, so its gradient is "
        "the mean of the per-sample gradients derived here (the code puts the $\\frac1m$ into the "
        "output delta). With binary cross-entropy only the output delta changes "
        "([07_losses.md](07_losses.md)); the tests prove this file's table for it too.",
        "Names follow the code, with indices from 0 as in the code: `W2[0, 3]` is $w^{(2)}_{03}$.",
        _notation_table(net),
        "## 1. Forward pass, neuron by neuron",
        "Each neuron sums its inputs in increasing $i$, as the code does "
        "(`forward` in `scalar_net/backprop.py`), then applies its activation:",
        *_forward_pass(net),
        f"and the loss of the sample is $\\ell = {losses.STATED['mse'][0]}$.",
        "## 2. The rule sympy is given, and what it differentiates",
        "$\\sigma$ is kept as an unevaluated function with "
        "$\\sigma'(z) = \\sigma(z)\\left(1 - \\sigma(z)\\right)$, the lemma proved in "
        "[01_sigmoid.md](01_sigmoid.md). Nothing else about backpropagation is given to sympy.",
        "Substituting every layer into the next makes $\\ell$ one expression in the parameters, "
        "$x_0$, $x_1$ and $y$ (the first-layer weights sit inside three nested sigmoids). Sympy "
        "differentiates that expression by each parameter, knowing nothing of deltas: this "
        "**brute-force derivative** is what every result below is checked against. Its answers are "
        f"long (a first-layer weight's is a sum of {len(rule.weights[-1].paths)} products), so they are "
        "listed, folded, in the [appendix](#appendix-sympys-brute-force-gradients); the next "
        "section builds them by hand.",
        *chain_rule.blocks(rule),
        "## 5. Backpropagation: the recurrence",
        "Section 4 for every neuron: "
        "$\\delta^{(l)}_j = \\partial \\ell / \\partial z^{(l)}_j$ "
        "(`backward` in `scalar_net/backprop.py`), from the output down:",
        *_recurrence_section(derivation),
        f"## 6. Sympy's verdict: all {count} gradients",
        f"**All {count} gradients: backpropagation's recurrence equals sympy's brute-force derivative** "
        f"({proved} of {count} proved). For each parameter the backpropagation gradient, "
        + ("$a^{(l-1)}_i\\,\\delta^{(l)}_j$ or $\\delta^{(l)}_j$" if bias else "$a^{(l-1)}_i\\,\\delta^{(l)}_j$")
        + ", is written out in full (deltas and "
        "activations replaced by the expressions they stand for) and subtracted from the brute-force "
        "derivative; the difference, expanded into monomials, must be exactly 0.",
        *folded(f"The {count} proofs, parameter by parameter", [_verdict_table(derivation)]),
        "## Appendix: sympy's brute-force gradients",
        "Sympy's derivative of $\\ell$ by each parameter, with every $\\sigma(\\ldots)$ in its answer "
        "written as the activation it equals, $a^{(l)}_j$ or $\\hat y$. Going down the layers the same "
        "factors come back: every gradient of layer 2 contains "
        "$2\\hat y(1-\\hat y)(\\hat y - y)$, and every gradient of layer 1 contains sums that "
        "layer 2 already formed; backpropagation computes each shared factor once, as a delta.",
        *folded(f"The {count} brute-force gradients, layer by layer", _brute_force_section(derivation)),
    ]
    return render.page(blocks)
