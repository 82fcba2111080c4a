"""The terminal text of ``backprop-lab trace``: plain notation, laid out for 100 columns.

Symbols follow the code's names: ``z2[1]`` is z of neuron 1 of layer 2, ``W2[0,1]`` the weight
from neuron 0 of layer 1 to neuron 1 of layer 2 (``W2`` of the parameter list, row vectors as in
backprop_lab.conventions), ``δ2[1]`` = dL/dz2[1].  Numbers carry an ASCII ``-`` sign; the
operator minus is ``−``, so every printed number reads back with ``float``.
"""

from backprop_lab.commands.trace.equations import Equation, Heading, Matrix, Text, blocks, shown, shown_rows
from backprop_lab.formatting import ACTIVATION_NAMES, derivative_written

WIDTH = 100
KEEP = "\u00a0"  # a space inside a formula: lines break between words, not inside formulas
DERIVATIONS = "derivations/generated/"


class Plain:
    """Symbols and numbers as plain text."""

    times, minus, plus, gets = "·", "−", "+", "←"
    squared, T, beta = "²", "ᵀ", "β"
    yhat, y, ell, log, max, softplus = "ŷ", "y", "ℓ", "log", "max", "softplus"
    # K >= 3 softmax outputs: the largest z ("max"), the sum of the exps, and the functions' names
    top, esum, le, log1p, softmax, onehot = "max", "Σ_k e[k]", "≤", "log1p", "softmax", "onehot"
    NAMES = ACTIVATION_NAMES

    def __init__(self, digits):
        self.digits = digits

    def num(self, value):
        return f"{value:.{self.digits}g}"

    def factor(self, value):
        """A number as a factor of a product: negative ones in parentheses."""
        text = self.num(value)
        return f"({text})" if text.startswith("-") else text

    # A layer given as a string ("l") is the general neuron of the textbook's formulas: z_j, w_ij.
    def x(self, i):
        return f"x_{i}" if isinstance(i, str) else f"x{i}"

    def z(self, l, j):
        return f"z_{j}" if isinstance(l, str) else f"z{l}[{j}]"

    def a(self, l, j):
        return f"a_{j}" if isinstance(l, str) else f"a{l}[{j}]"

    def delta(self, l, j):
        return f"δ_{j}" if isinstance(l, str) else f"δ{l}[{j}]"

    def w(self, l, i, j):
        return f"w_{i}{j}" if isinstance(l, str) else f"W{l}[{i},{j}]"

    def b(self, l, j):
        return f"b_{j}" if isinstance(l, str) else f"b{l}[{j}]"

    def yhat_of(self, j):
        """Output j of K softmax outputs, the probability of class j."""
        return f"ŷ[{j}]"

    def e(self, j):
        """e^(z_j - max), output j's exp in the softmax."""
        return f"e[{j}]"

    def M(self, letter, l):
        return f"{letter}{l}"

    def new(self, symbol):
        return f"new {symbol}"

    def partial(self, f, x):
        return f"∂{f}/∂{x}"

    def sum_i(self):
        return "Σ_i"

    def sum_j(self):
        return "Σ_j"

    def sum_s(self):
        return "Σ_s"

    def more(self, k):
        return f"… ({k} more terms) …"

    def ell_of(self, label):
        return f"ℓ({label})"

    def exp(self, power):
        return f"e^({power})"

    def velocity(self, symbol):
        """Momentum's velocity of a parameter or a matrix."""
        return f"v({symbol})"

    def inline(self, text):
        return text.replace(" ", KEEP)

    def elementwise(self, text):
        return text

    def activation(self, kind):
        """A function: argument -> g(argument) for the activation ``kind``."""
        if kind == "identity":
            return lambda arg: arg
        return lambda arg: f"{self.NAMES[kind]}({arg})"

    def derivative(self, kind, z, a, z_value, a_value):
        """g'(z) written out for the reader: (in symbols, with the numbers)."""
        return derivative_written(kind, z, a), derivative_written(kind, z_value, a_value)


def _wrap(pieces, first, indent, width=WIDTH):
    """Lines holding ``first`` then the pieces joined by spaces, broken between pieces."""
    lines, line = [], first
    for piece in pieces:
        candidate = f"{line} {piece}" if not line.endswith(("(", " ")) and not piece.startswith(")") else line + piece
        if len(candidate) > width and line.strip():
            lines.append(line)
            line = " " * indent + piece
        else:
            line = candidate
    lines.append(line)
    return lines


def _join(pieces):
    text = ""
    for piece in pieces:
        text += piece if not text or text.endswith("(") or piece.startswith(")") else f" {piece}"
    return text


def equation_lines(eq, indent=2):
    one = " " * indent + f"{eq.lhs} {eq.relation} " + " = ".join(_join(link) for link in eq.chain)
    if len(one) <= WIDTH:
        return [one]
    lines = []
    pad = " " * (indent + len(eq.lhs) + 1)
    for k, link in enumerate(eq.chain):
        head = " " * indent + f"{eq.lhs} {eq.relation}" if k == 0 else pad + "="
        lines += _wrap(link, head, len(head) + 1)
    return lines


def matrix_lines(matrix, digits, indent=4):
    """The matrix's rows, columns aligned; the middle of long rows and columns elided and counted."""
    values = matrix.values
    rows, hidden_rows = shown_rows(values.shape[0])
    columns, hidden = shown(values.shape[1])
    cells = [[f"{values[r, c]:.{digits}g}" for c in columns] for r in rows]
    if hidden:
        for row in cells:
            row.insert(len(columns) - 1, f"…{hidden} more…")
    width = max(len(cell) for row in cells for cell in row)
    lines = [" " * indent + ("[" if k == 0 else " ") + "[" + "  ".join(cell.rjust(width) for cell in row) + "]"
             + ("]" if k == len(cells) - 1 else "") for k, row in enumerate(cells)]
    if hidden_rows:
        lines.insert(len(rows) - 1, " " * (indent + 2) + f"⋮ ({hidden_rows} more rows)")
    return lines


def _paragraph(text, indent, hanging=2):
    words = text.split(" ")
    return [line.replace(KEEP, " ") for line in _wrap(words[1:], " " * indent + words[0], indent + hanging)]


def render(step, digits, header):
    """The whole trace as one string: ``header`` lines, then every block of trace.equations."""
    notation = Plain(digits)
    lines = [wrapped for line in header for wrapped in _paragraph(line, 0, hanging=4)]
    for block in blocks(step, notation):
        if isinstance(block, Heading):
            lines += ["", block.title]
            sections = {}  # file -> its sections, in the order the heading gives them
            for name, section in block.links:
                sections.setdefault(name, []).extend([section] if section else [])
            refs = [f"{DERIVATIONS}{name}" + (f" ({'; '.join(parts)})" if parts else "") for name, parts in sections.items()]
            lines += _wrap(", ".join(refs).split(" "), " general formulas:", 4)
        elif isinstance(block, Text):
            lines += _paragraph(block.text, 1)
        elif isinstance(block, Equation):
            lines += equation_lines(block)
        elif isinstance(block, Matrix):
            shape = "×".join(map(str, block.values.shape))
            title = f"  {block.name}" + (f" = {block.formula}" if block.formula else "") + f"   ({shape})"
            lines += [line.replace(KEEP, " ") for line in _wrap(("— " + block.holds).split(" "), title + " ", 6)]
            lines += matrix_lines(block, digits)
    return "\n".join(lines) + "\n"
