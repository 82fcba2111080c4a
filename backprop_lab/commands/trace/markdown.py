"""``backprop-lab trace --markdown``: the same trace as Markdown with LaTeX.

It renders where the derivation files render (GitHub, VS Code, Jupyter), in their notation
($z^{(l)}_j$, $w^{(l)}_{ij}$, $\\delta^{(l)}_j$), and each step links to the derivation file and
section with its general formula.
"""

import os
import re

from backprop_lab.commands.trace.equations import Equation, Heading, Matrix, Text, blocks, shown, shown_rows

#: Terms per line of a long sum in a display equation.
TERMS_PER_LINE = 5


class Latex:
    """Symbols and numbers as LaTeX (the notation of derivations/generated/)."""

    times, minus, plus, gets = r" \cdot ", "-", "+", r"\leftarrow"
    squared, T, beta = "^2", "^T", r"\beta"
    yhat, y, ell, log, max, softplus = r"\hat y", "y", r"\ell", r"\log", r"\max", r"\operatorname{softplus}"
    top, esum, le = r"\max", r"\sum_k e_{k}", r"\le"
    log1p, softmax, onehot = r"\operatorname{log1p}", r"\operatorname{softmax}", r"\operatorname{onehot}"
    NAMES = {"sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\mathrm{relu}", "leaky-relu": r"\mathrm{lrelu}",
             "silu": r"\mathrm{silu}"}

    def __init__(self, digits):
        self.digits = digits

    def num(self, value):
        text = f"{value:.{self.digits}g}"
        if "e" in text:
            mantissa, power = text.split("e")
            return rf"{mantissa} \times 10^{{{int(power)}}}"
        return text

    def factor(self, value):
        text = self.num(value)
        return f"({text})" if text.startswith("-") or "times" in text else text

    @staticmethod
    def _indices(*indices):
        parts = [str(i) for i in indices]
        return ("," if any(len(p) > 1 for p in parts) else "").join(parts)

    # A layer given as a string ("l") is the general neuron of the textbook's formulas: z_j, w_ij.
    def x(self, i):
        return f"x_{{{i}}}"

    def z(self, l, j):
        return f"z_{{{j}}}" if isinstance(l, str) else f"z^{{({l})}}_{{{j}}}"

    def a(self, l, j):
        return f"a_{{{j}}}" if isinstance(l, str) else f"a^{{({l})}}_{{{j}}}"

    def delta(self, l, j):
        return rf"\delta_{{{j}}}" if isinstance(l, str) else rf"\delta^{{({l})}}_{{{j}}}"

    def w(self, l, i, j):
        ij = self._indices(i, j)
        return f"w_{{{ij}}}" if isinstance(l, str) else f"w^{{({l})}}_{{{ij}}}"

    def b(self, l, j):
        return f"b_{{{j}}}" if isinstance(l, str) else f"b^{{({l})}}_{{{j}}}"

    def yhat_of(self, j):
        return rf"\hat y_{{{j}}}"

    def e(self, j):
        return f"e_{{{j}}}"

    LETTERS = {"Δ": r"\Delta"}

    def M(self, letter, l):
        """A matrix: W_l, b_l for the parameters (as in 04_matrix_form.md), Z^(l), A^(l), Delta^(l) by layer."""
        if letter in ("W", "b"):
            return f"{letter}_{{{l}}}"
        return f"{self.LETTERS.get(letter, letter)}^{{({l})}}"

    def new(self, symbol):
        return rf"{symbol}^{{\text{{new}}}}"

    def partial(self, f, x):
        return rf"\frac{{\partial {f}}}{{\partial {x}}}"

    def sum_i(self):
        return r"\sum_i"

    def sum_j(self):
        return r"\sum_j"

    def sum_s(self):
        return r"\sum_s"

    def more(self, k):
        return rf"\cdots\ (\text{{{k} more terms}})\ \cdots"

    def ell_of(self, label):
        return rf"\ell_{{\text{{{label}}}}}"

    def exp(self, power):
        return f"e^{{{power}}}"

    def velocity(self, symbol):
        """Momentum's velocity of a parameter or a matrix."""
        return f"v_{{{symbol}}}"

    def inline(self, text):
        return f"${text}$"

    def elementwise(self, text):
        return text.replace("⊙", r"\odot")

    def activation(self, kind):
        if kind == "identity":
            return lambda arg: arg
        return lambda arg: rf"{self.NAMES[kind]}\left({arg}\right)"

    def derivative(self, kind, z, a, z_value, a_value):
        if kind == "sigmoid":
            return rf"{a}\,(1 - {a})", rf"{a_value} \cdot (1 - {a_value})"
        if kind == "tanh":
            return f"(1 - {{{a}}}^2)", f"(1 - {a_value}^2)"
        if kind == "identity":
            return "1", "1"
        name = self.NAMES[kind]
        return f"{name}'({z})", f"{name}'({z_value})"


def anchor(heading):
    """GitHub's anchor for a Markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def _link(name, section, folder, out_dir):
    target = os.path.relpath(folder / name, out_dir)
    label = name + (f", “{section}”" if section else "")
    return f"[{label}]({target}{'#' + anchor(section) if section else ''})"


def _link_line(links, folder, out_dir):
    return "General formulas: " + "; ".join(_link(name, section, folder, out_dir) for name, section in links) + "."


def _math_link(link):
    """One link of an equation's chain: its pieces, a line break every TERMS_PER_LINE terms."""
    out = ""
    for k, piece in enumerate(link):
        if k and k % TERMS_PER_LINE == 0 and len(link) > TERMS_PER_LINE + 1:
            out += r" \\ &\qquad "
        out += piece if not out or out.endswith("(") or piece.startswith(")") else f" {piece}"
    return out


#: An equation whose LaTeX source is shorter than this is one row of the display, not one per step.
ONE_ROW = 110


def _equations(group):
    rows = []
    for eq in group:
        links = [_math_link(link) for link in eq.chain]
        if len(eq.lhs) + sum(len(link) + 3 for link in links) <= ONE_ROW:
            rows.append(f"{eq.lhs} &{eq.relation} " + " = ".join(links))
            continue
        rows.append(f"{eq.lhs} &{eq.relation} {links[0]}")
        rows += [f"&= {link}" for link in links[1:]]
    return ["$$", r"\begin{aligned}", " \\\\\n".join(rows), r"\end{aligned}", "$$", ""]


def _matrix(block, notation):
    columns, hidden = shown(block.values.shape[1])
    shown_r, hidden_rows = shown_rows(block.values.shape[0])
    rows = []
    for r in shown_r:
        cells = [notation.num(float(block.values[r, c])) for c in columns]
        if hidden:
            cells.insert(len(columns) - 1, r"\cdots")
        rows.append(" & ".join(cells))
    if hidden_rows:
        rows.insert(len(shown_r) - 1, " & ".join([r"\vdots"] * (len(columns) + bool(hidden))))
    body = r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"
    shape = r" \times ".join(map(str, block.values.shape))
    formula = f" = {block.formula}" if block.formula else ""
    return ["$$", f"{block.name}{formula} = {body} \\quad ({shape})", "$$", "", block.holds + ".", ""]


def render(step, digits, header, path, derivations):
    """The Markdown document of ``step``, with links from the folder of ``path`` to ``derivations``."""
    notation = Latex(digits)
    out_dir = os.path.dirname(os.path.abspath(path))
    lines = ["# One step of backpropagation, every number", "",
             "> Written by `backprop-lab trace`. Every number is one the trainers computed; "
             "the terminal output of the same command has the same content.", ""]
    lines += [f"- {line}" for line in header if not line.startswith("names:")]
    inputs = "x_0, x_1" if step.sizes[0] == 2 else rf"x_0, \ldots, x_{{{step.sizes[0] - 1}}}"
    lines += ["- names: $z^{(l)}_j$, $a^{(l)}_j$ and $\\delta^{(l)}_j = \\partial L/\\partial z^{(l)}_j$ belong to "
              f"neuron $j$ of layer $l$ (layer 0 is the inputs ${inputs}$); $w^{{(l)}}_{{ij}}$ is the weight from neuron "
              "$i$ of layer $l-1$ to neuron $j$ of layer $l$, `W{l}[i, j]` in the code; $b^{(l)}_j$ is `b{l}[j]`", ""]
    group = []
    for block in blocks(step, notation):
        if isinstance(block, Equation):
            group.append(block)
            continue
        if group:
            lines += _equations(group)
            group = []
        if isinstance(block, Heading):
            lines += [f"## {block.title}", "", _link_line(block.links, derivations, out_dir), ""]
        elif isinstance(block, Text):
            lines += [block.text + ("" if block.text.endswith((".", ")")) else "."), ""]
        elif isinstance(block, Matrix):
            lines += _matrix(block, notation)
    if group:
        lines += _equations(group)
    return "\n".join(lines).rstrip("\n") + "\n"
