"""The chain rule worked by hand for one weight of each layer, and the deltas it repeats.

For a weight ``W_l[i, j]`` the loss depends on it along every path from ``z^{(l)}_j`` up to the
output: ``w -> z^{(l)}_j -> a^{(l)}_j -> z^{(l+1)}_k -> ... -> y_hat -> l``.  The chain rule
multiplies the local derivative of each link of a path (each one line of the forward pass,
differentiated by sympy) and adds the paths:

    dl/dW3[0,0] = dl/dy_hat * dy_hat/dz3_0 * dz3_0/dW3[0,0]
    dl/dW2[0,0] = dl/dy_hat * dy_hat/dz3_0 * dz3_0/da2_0 * da2_0/dz2_0 * dz2_0/dW2[0,0]
    dl/dW1[0,0] = sum over the neurons k of layer 2 of
                  dl/dy_hat * dy_hat/dz3_0 * dz3_0/da2_k * da2_k/dz2_k * dz2_k/da1_0 * da1_0/dz1_0 * dz1_0/dW1[0,0]

Sympy proves each sum of products equal to its brute-force derivative of the loss.  The factors
above ``z`` of a neuron are the same in every path through it: collected, they are the neuron's
delta (delta3_0 = dl/dy_hat * dy_hat/dz3_0, delta2_k = delta3_0 * dz3_0/da2_k * da2_k/dz2_k, ...),
and sympy proves that each is the recurrence's delta (elementwise.derive) and that each worked
gradient is its last factor times a delta.

The symbols are those of symbolic_net (local: a, z, y_hat as symbols); ``full`` writes an
expression out in the parameters and inputs, where the brute-force derivatives live.
"""

import itertools
from dataclasses import dataclass

import sympy as sp

from derivations import losses, notation, render
from derivations.proof import by_expanding

#: The letters that index the neurons a path may pass through, layer by layer above the weight.
PATH_INDICES = "kmnpq"


@dataclass(frozen=True)
class Factor:
    """One link of a path: the local derivative d(of)/d(by), sympy's derivative of one line of the
    forward pass (``line``, LaTeX), in the local symbols (``value``)."""

    of: str
    by: str
    line: str
    value: sp.Expr

    @property
    def name(self):
        """The factor as a fraction of partials, in LaTeX."""
        return partial(self.of, self.by)


def partial(of, by):
    return rf"\frac{{\partial {of}}}{{\partial {by}}}"


@dataclass
class WorkedWeight:
    """The chain rule for one weight: its paths, the factors of each, and sympy's verdict.

    neurons:  per path, the neuron it passes in each layer from the weight's (l) up to the output
    paths:    per path, its factors from the loss down to the weight
    chain:    the sum over the paths of the product of their factors (local symbols)
    claim:    chain written out in full = sympy's brute-force derivative of the loss
    """

    parameter: object
    neurons: list
    paths: list
    chain: sp.Expr
    claim: object


@dataclass
class Delta:
    """delta^{(l)}_j collected from the factors above z^{(l)}_j.

    terms:   [(delta symbol of the layer above, factor dz_above/da)] summed, times ``slope`` (da/dz);
             for the output neuron terms is empty and ``slope`` multiplies ``loss_factor``
    value:   the delta in the local symbols and the deltas of the layer above
    claim:   value = the recurrence's delta (elementwise.derive's delta_local)
    """

    layer: int
    neuron: int
    symbol: sp.Symbol
    terms: list
    slope: Factor
    loss_factor: Factor | None
    value: sp.Expr
    claim: object


@dataclass
class ChainRule:
    """One weight of each layer worked by the chain rule, top layer first, and the deltas."""

    derivation: object
    weights: list   # WorkedWeight, from the output layer down
    deltas: list    # Delta, from the output down
    grouped: list   # per weight: (last factor, delta symbol, claim chain = last factor * delta)


def full(net, expr):
    """``expr`` in the parameters and inputs: every local a, z and y_hat written out."""
    for layer in range(1, net.output_layer + 1):
        expr = net.substitute(expr, layer)
    return expr


def _a(net, layer, j):
    """a^{(layer)}_j, x_j for layer 0 and y_hat for the output, as a symbol (j may be a letter)."""
    if layer == 0:
        return notation.input_(j)
    return notation.activation(layer, j, output=layer == net.output_layer)


def _loss_factor(net):
    y_hat = net.a_symbols[net.output_layer][0]
    loss = losses.per_sample(net.loss_name, y_hat, net.y)
    return Factor(r"\ell", render.tex(y_hat), rf"\ell = {losses.STATED[net.loss_name][0]}", sp.diff(loss, y_hat))


def _slope(net, layer, j):
    """da/dz of neuron j of ``layer``: sympy differentiates a = g(z), then names g(z) a again."""
    g = net.g(layer)
    a, z = net.a_symbols[layer][j], net.z_symbols[layer][j]
    value = sp.diff(g.of(z), z).xreplace({g.of(z): a})
    return Factor(render.tex(a), render.tex(z), f"{render.tex(a)} = {render.tex(g.of(z))}", value)


def _one_term(net, layer, j, term, wrt):
    """dz^{(layer)}_j by ``wrt``, and the line it differentiates shown with the one term holding it."""
    z = net.z_symbols[layer][j]
    n = net.sizes[layer - 1]
    shown = rf"{render.tex(net.a_symbols[layer - 1][term])} {render.tex(net.weights[layer][term][j])}"
    before = r"\cdots + " if term > 0 else ""
    after = r" + \cdots" if term < n - 1 or net.bias else ""
    line = f"{render.tex(z)} = {before}{shown}{after}"
    return Factor(render.tex(z), render.tex(wrt), line, sp.diff(net.z_local[layer][j], wrt))


def path_factors(net, parameter, neurons):
    """The factors of the path through ``neurons`` (its neuron in layers l, l+1, ..., L), from the
    loss down to the weight ``parameter`` = W_l[i, j]."""
    l, i, L = parameter.layer, parameter.row, net.output_layer
    factors = [_loss_factor(net)]
    for k in range(L, l - 1, -1):
        n = neurons[k - l]
        factors.append(_slope(net, k, n))
        if k > l:
            below = neurons[k - l - 1]
            factors.append(_one_term(net, k, n, below, net.a_symbols[k - 1][below]))
    factors.append(_one_term(net, l, parameter.column, i, parameter.symbol))
    return factors


def _paths(net, parameter):
    """Every path from the weight's neuron to the output: one neuron per layer above it."""
    above = [range(net.sizes[k]) for k in range(parameter.layer + 1, net.output_layer + 1)]
    return [(parameter.column, *rest) for rest in itertools.product(*above)]


def work(derivation, parameter):
    """The WorkedWeight of ``parameter`` (a weight, not a bias)."""
    net = derivation.net
    neurons = _paths(net, parameter)
    paths = [path_factors(net, parameter, path) for path in neurons]
    chain = sp.Add(*[sp.Mul(*[f.value for f in factors]) for factors in paths])
    claim = by_expanding(derivation.brute_force[parameter.label], full(net, chain))
    return WorkedWeight(parameter, neurons, paths, chain, claim)


def worked_parameters(net):
    """W_l[0, 0] of every layer, the output layer's first."""
    return [next(p for p in net.parameters if p.layer == l and p.row == 0 and p.column == 0)
            for l in range(net.output_layer, 0, -1)]


def _delta_neurons(net):
    """(layer, neuron) of every delta on the paths of W1[0, 0], the output first."""
    L = net.output_layer
    return [(l, j) for l in range(L, 0, -1) for j in (range(net.sizes[l]) if l > 1 else [0])]


def collect_deltas(derivation):
    """The deltas of the neurons on the worked paths, each from the factors above its z."""
    net = derivation.net
    L = net.output_layer
    deltas = []
    for l, j in _delta_neurons(net):
        slope, symbol = _slope(net, l, j), derivation.delta_symbols[l][j]
        if l == L:
            loss_factor, terms = _loss_factor(net), []
            value = loss_factor.value * slope.value
        else:
            loss_factor = None
            terms = [(derivation.delta_symbols[l + 1][k], _one_term(net, l + 1, k, j, net.a_symbols[l][j]))
                     for k in range(net.sizes[l + 1])]
            value = sp.Add(*[d * f.value for d, f in terms]) * slope.value
        claim = by_expanding(value, derivation.delta_local[l][j])
        deltas.append(Delta(l, j, symbol, terms, slope, loss_factor, value, claim))
    return deltas


def chain_rule(derivation):
    """The ChainRule of ``derivation`` (elementwise.derive's): the worked weights and the deltas."""
    net = derivation.net
    weights = [work(derivation, p) for p in worked_parameters(net)]
    deltas = collect_deltas(derivation)
    # Each delta symbol stands for its factors: written out, every worked chain is last factor * delta.
    written = {}
    for delta in deltas:  # from the output down: a delta uses those above it, already written out
        written[delta.symbol] = delta.value.xreplace(written)
    grouped = []
    for w in weights:
        last = w.paths[0][-1]
        delta = derivation.delta_symbols[w.parameter.layer][w.parameter.column]
        grouped.append((last, delta, by_expanding(w.chain, last.value * written[delta])))
    return ChainRule(derivation, weights, deltas, grouped)


# --- the Markdown ---------------------------------------------------------------------------------

def _factor_tex(value):
    """A factor's value in a product: a sum in parentheses."""
    text = render.tex(value)
    return rf"\left({text}\right)" if isinstance(value, sp.Add) else text


def _product(factors):
    return r" \cdot ".join(_factor_tex(f.value) for f in factors)


def _symbolic_names(net, w):
    """The names of the factors of ``w``'s paths, a letter standing for the neuron in each layer
    the paths branch in; and the sums over those letters, in LaTeX."""
    p = w.parameter
    varying = [k for k in range(p.layer + 1, net.output_layer + 1) if net.sizes[k] > 1]
    letters = dict(zip(varying, PATH_INDICES))
    neurons = [p.column] + [letters.get(k, 0) for k in range(p.layer + 1, net.output_layer + 1)]
    names = [partial(r"\ell", render.tex(_a(net, net.output_layer, 0)))]
    for k in range(net.output_layer, p.layer - 1, -1):
        n = neurons[k - p.layer]
        a, z = _a(net, k, n), notation.pre_activation(k, n)
        names.append(partial(render.tex(a), render.tex(z)))
        if k > p.layer:
            names.append(partial(render.tex(z), render.tex(_a(net, k - 1, neurons[k - p.layer - 1]))))
    names.append(partial(render.tex(notation.pre_activation(p.layer, p.column)), render.tex(p.symbol)))
    sums = "".join(rf"\sum_{{{letters[k]}=0}}^{{{net.sizes[k] - 1}}} " for k in varying)
    return names, sums, [letters[k] for k in varying]


def _factor_rows(factors, seen):
    """Table rows of the factors not shown before, with the line of the forward pass each differentiates."""
    rows = []
    for f in factors:
        if f.name not in seen:
            seen.add(f.name)
            rows.append([render.inline(f.name), render.inline(f.line), render.inline(render.tex(f.value))])
    return rows


def _path_words(net, w):
    l = w.parameter.layer
    if len(w.paths) == 1:
        return "one path, through " + ", ".join(f"neuron {n} of layer {l + k}" for k, n in enumerate(w.neurons[0]))
    branching = [k for k in range(l + 1, net.output_layer + 1) if net.sizes[k] > 1]
    return f"{len(w.paths)} paths, one through each neuron of " + " and ".join(f"layer {k}" for k in branching)


def _weight_blocks(net, w, seen):
    """The chain rule for one weight: its factors named, computed by sympy, multiplied, and checked."""
    p = w.parameter
    lhs = partial(r"\ell", render.tex(p.symbol))
    names, sums, letters = _symbolic_names(net, w)
    out = [f"### `{p.label}`: {_path_words(net, w)}", render.display(f"{lhs} = {sums}" + r" \, ".join(names))]
    # A factor is common to the paths when every path has the same one in its place.
    common = [k for k in range(len(names)) if len({path[k].name for path in w.paths}) == 1]
    varying = [k for k in range(len(names)) if k not in common]
    rows = _factor_rows([w.paths[0][k] for k in common], seen)
    met = " (those met above are not repeated)" if len(rows) < len(common) else ""
    if rows:
        out += [f"Each factor differentiates one line of the forward pass (section 1); sympy computes it{met}:",
                render.table(["factor", "the line of the forward pass it differentiates", "sympy's derivative"],
                             rows)]
    if varying:
        for path in w.paths:
            seen.update(path[k].name for k in varying)
        branching = [k for k in range(p.layer + 1, net.output_layer + 1) if net.sizes[k] > 1]
        index = ", ".join(letters)
        where = " and ".join(f"${letter}$ of layer {k}" for letter, k in zip(letters, branching))
        out += [f"The factors that change from path to path, one row per path, as sympy computes them: each "
                f"differentiates the line it did above, now for neuron {where}:",
                render.table([f"${index}$"] + [render.inline(names[k]) for k in varying],
                             [[", ".join(str(neurons[k - p.layer]) for k in branching)]
                              + [render.inline(_factor_tex(path[k].value)) for k in varying]
                              for neurons, path in zip(w.neurons, w.paths)])]
    out += ["Multiplied along " + ("the path:" if len(w.paths) == 1 else "each path, one path per line:"),
            _sum_display(lhs, [_product(factors) for factors in w.paths]),
            f"Sympy: this {'product' if len(w.paths) == 1 else 'sum'} minus the brute-force derivative ${lhs}$ "
            f"(section 2), both written out in the parameters, expands to "
            f"{render.inline(render.tex(w.claim.residual))}: {_verdict(w.claim.proved)}."]
    return out


def _verdict(proved):
    return "**proved**" if proved else "**NOT proved**"


def _sum_display(lhs, terms):
    """``lhs = terms[0] + terms[1] + ...``, one term per line."""
    lines = [f"{lhs} &= {terms[0]}"] + [rf"&\quad + {term}" for term in terms[1:]]
    return render.display("\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}")


def _delta_row(net, delta):
    symbol = render.tex(delta.symbol)
    if delta.loss_factor is not None:
        names = f"{delta.loss_factor.name} \\, {delta.slope.name}"
        values = f"{_factor_tex(delta.loss_factor.value)} \\cdot {_factor_tex(delta.slope.value)}"
        return symbol, f"{names} = {values}"
    if len(delta.terms) == 1:
        (above, f), = delta.terms
        names = f"{render.tex(above)} \\, {f.name} \\, {delta.slope.name}"
        values = f"{render.tex(above)} \\cdot {_factor_tex(f.value)} \\cdot {_factor_tex(delta.slope.value)}"
        return symbol, f"{names} = {values}"
    index = PATH_INDICES[0]  # the neurons of the layer above, summed over
    above = render.tex(notation.delta(delta.layer + 1, index))
    link = partial(render.tex(notation.pre_activation(delta.layer + 1, index)),
                   render.tex(_a(net, delta.layer, delta.neuron)))
    names = rf"\Big(\sum_{{{index}}} {above} \, {link}\Big) \, {delta.slope.name}"
    total = " + ".join(f"{render.tex(d)} {_factor_tex(f.value)}" for d, f in delta.terms)
    return symbol, rf"{names} = \left({total}\right) \cdot {_factor_tex(delta.slope.value)}"


def _all_proved(claims):
    """What sympy reduced every difference to, and how many of the claims that proves."""
    proved = sum(claim.proved for claim in claims)
    outcome = "$0$: **proved**" if proved == len(claims) else "a nonzero residual: **NOT proved**"
    return f"{outcome} ({proved} of {len(claims)})"


def blocks(rule):
    """The Markdown blocks of the two sections: the chain rule worked, and the deltas it repeats."""
    net = rule.derivation.net
    L = net.output_layer
    names = ", ".join(f"`{w.parameter.label}`" for w in rule.weights)
    out = [
        "## 3. The chain rule, one weight of each layer",
        "A weight changes the loss only through the neuron it feeds: $w^{(l)}_{ij}$ enters "
        "$z^{(l)}_j$, which enters $a^{(l)}_j$, which enters every $z$ of the layer above, and so on "
        "up to $\\hat y$ and $\\ell$. The chain rule multiplies the derivatives of the links of each "
        "such path and adds the paths. Here it is worked for " + names + ", one weight of each layer, "
        "factor by factor; sympy computes every factor and checks every result against its "
        "brute-force derivative of $\\ell$ (section 2).",
    ]
    seen = set()
    for w in rule.weights:
        out += _weight_blocks(net, w, seen)
    first = rule.weights[0].paths[0][:2]
    lowest = rule.weights[-1]
    lowest_end = lowest.paths[0][-2:]
    names, _, _ = _symbolic_names(net, lowest)
    middle = names[2:4]  # dz/da and da/dz of neuron k of the layer below the output
    out += [
        "## 4. The repeated factors are the deltas",
        f"Every path starts with the same two factors, ${first[0].name}\\,{first[1].name}$, the derivative "
        f"of $\\ell$ by the output's weighted input. Every path through neuron ${PATH_INDICES[0]}$ of layer {L - 1} "
        f"continues with the same two factors, ${middle[0]}\\,{middle[1]}$, whichever weight below it "
        f"ends in; the {len(lowest.paths)} paths of `{lowest.parameter.label}` are summed over "
        f"${PATH_INDICES[0]}$ and all "
        f"end in the same two factors, ${lowest_end[0].name}\\,{lowest_end[1].name}$. So each product of "
        "the factors above a neuron's $z$ is worth computing once and naming: it is that neuron's delta, "
        "$\\delta^{(l)}_j = \\partial\\ell/\\partial z^{(l)}_j$, built from the deltas of the layer "
        "above:",
        render.aligned([_delta_row(net, d) for d in rule.deltas]),
        f"Sympy: each delta here, minus the recurrence's (section 5), expands to "
        f"{_all_proved([d.claim for d in rule.deltas])}.",
        "With the deltas, each worked gradient is its last factor times the delta of the neuron the "
        "weight feeds:",
        render.aligned([(partial(r"\ell", render.tex(w.parameter.symbol)),
                         f"{last.name} \\, {render.tex(delta)} = {_factor_tex(last.value)} \\, {render.tex(delta)}")
                        for w, (last, delta, _) in zip(rule.weights, rule.grouped)]),
        "Sympy: each chain of section 3 minus this, with the deltas written out as their factors, "
        f"expands to {_all_proved([claim for _, _, claim in rule.grouped])}. Every other weight "
        "goes the same way: $\\partial\\ell/\\partial w^{(l)}_{ij} = a^{(l-1)}_i\\,\\delta^{(l)}_j$. "
        "Backpropagation computes each neuron's delta once, from the deltas of the layer above, instead "
        f"of multiplying every path's factors again for every weight (`{rule.weights[-1].parameter.label}` "
        f"alone has {len(rule.weights[-1].paths)} paths of {len(rule.weights[-1].paths[0])} factors).",
    ]
    return out
