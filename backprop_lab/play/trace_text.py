"""One sample's next step as text: each formula with the trainers' numbers put in.

Notation as in ``backprop-lab trace``: layers 0 (the inputs x) to L (the output ŷ); ``z2[1]`` is
z of neuron 1 of layer 2, ``W2[0,1]`` the weight from neuron 0 of layer 1 to neuron 1 of layer 2,
``δ2[1]`` = ∂L/∂z2[1] with the batch's 1/m in it (backprop_lab.conventions).  Each value after
the last ``=`` is scalar_net's own (from its ``trace_step``); the operands before it are the
numbers it was computed from, rounded to ``digits`` digits for reading.
"""

import numpy as np

from backprop_lab.formatting import ACTIVATION_NAMES, derivative_written
from backprop_lab.network import by_layer, has_bias

SYMBOL = ACTIVATION_NAMES
FULL, HEAD = 6, 3  # sums of up to FULL terms (and layers of up to FULL neurons) are written out


class _Numbers:
    def __init__(self, digits):
        self.digits = digits

    def __call__(self, value):
        return f"{value:.{self.digits}g}"

    def factor(self, value):
        """A number inside a product: negative ones in parentheses."""
        text = self(value)
        return f"({text})" if text.startswith("-") else text


def _shown(n):
    """Indices written out of n, and the number left out (after the first HEAD, before the last)."""
    return (list(range(n)), 0) if n <= FULL else (list(range(HEAD)) + [n - 1], n - HEAD - 1)


def _sum(terms):
    """' + '.join of the terms, the middle of a long sum elided."""
    shown, left_out = _shown(len(terms))
    pieces = [terms[k] for k in shown]
    if left_out:
        pieces.insert(HEAD, f"… ({left_out} more) …")
    return " + ".join(pieces)


def _a(l, i, last):
    return f"x{i}" if l == 0 else "ŷ" if l == last else f"a{l}[{i}]"


def _derivative(kind, l, i, z, a, slope, num):
    """g'(z) of neuron i of layer l: (in symbols, with the numbers), as scalar_net forms it."""
    symbols = derivative_written(kind, f"z{l}[{i}]", f"a{l}[{i}]")
    if kind in ("sigmoid", "tanh", "identity"):
        return symbols, derivative_written(kind, num(z), num.factor(a))
    # the kinked and the SiLU derivative: their value, which a reader cannot work out from a
    if kind in ("relu", "leaky-relu"):
        below = "0" if kind == "relu" else num(slope)
        return symbols, "1" if z > 0 else below
    s = 1.0 / (1.0 + np.exp(-z))
    return symbols, num(s * (1.0 + z * (1.0 - s)))


WIDTH = 100  # an equation longer than this puts its numbers on a line of their own


def _equation(lhs, symbols, values, result):
    """``lhs = symbols = values = result`` on one line, or on two with the numbers below."""
    one = f"  {lhs} = {symbols} = {values} = {result}"
    if len(one) <= WIDTH:
        return [one]
    pad = " " * (len(lhs) + 3)
    return [f"  {lhs} = {symbols}", f"{pad}= {values} = {result}"]


def _layer(n, line_of, what):
    """The lines of a layer's n neurons (line_of(k) -> lines), the middle of a wide layer elided."""
    shown, left_out = _shown(n)
    lines = []
    for position, k in enumerate(shown):
        if left_out and position == HEAD:
            lines.append(f"  … ({left_out} more {what}) …")
        lines += line_of(k)
    return lines


def _row(values, num):
    shown, left_out = _shown(len(values))
    cells = [num(values[k]) for k in shown]
    if left_out:
        cells.insert(HEAD, "…")
    return "  ".join(cells)


def _matrix(values, num, indent="      "):
    """A matrix's rows, its columns aligned; the middle of long rows and columns elided."""
    rows, left_rows = _shown(values.shape[0])
    columns, left_columns = _shown(values.shape[1])
    cells = [[num(values[r, c]) for c in columns] for r in rows]
    if left_columns:
        for row in cells:
            row.insert(HEAD, "…")
    width = max(len(cell) for row in cells for cell in row)
    lines = [indent + "[" + "  ".join(cell.rjust(width) for cell in row) + "]" for row in cells]
    if left_rows:
        lines.insert(HEAD, indent + f" ⋮ ({left_rows} more rows)")
    return lines


def _largest_difference(first, second, r):
    """max |difference| between two StepTraces' numbers of sample row r, and their gradients."""
    pairs = [(first.Z[l][r], second.Z[l][r]) for l in range(1, len(first.Z))]
    pairs += [(first.A[l][r], second.A[l][r]) for l in range(1, len(first.A))]
    pairs += [(first.Delta[l][r], second.Delta[l][r]) for l in range(1, len(first.Delta))]
    pairs += list(zip(first.grads, second.grads))
    same = all(np.asarray(p).tobytes() == np.asarray(q).tobytes() for p, q in pairs)
    return 0.0 if same else max(float(np.max(np.abs(np.asarray(p) - np.asarray(q)))) for p, q in pairs)


def render(playground, sample, digits=4):
    """The text of Playground.trace (see there)."""
    num = _Numbers(digits)
    config = playground.config
    step = playground.next_step(sample, "scalar_net")
    trace, r, m = step.trace, sample - step.start, step.stop - step.start
    W, b = by_layer(step.params)  # W[l] = W_l, b[l] = b_l
    bias = has_bias(step.params)
    last = len(W) - 1
    activation, slope = config.activation, config.leaky_slope
    g = {l: (activation if l < last else "sigmoid") for l in range(1, last + 1)}
    x, y = playground.X[sample], float(playground.Y[sample, 0])
    epoch = playground.runs["scalar_net"].epochs + 1
    batch = f"samples {step.start} to {step.stop - 1}" if m > 1 else f"sample {step.start} alone"
    lines = [f"Sample {sample} of {len(playground.X)}: x = ({num(x[0])}, {num(x[1])}), y = {y:g}",
             f"Its next update: epoch {epoch}, in the batch of {batch} (m = {m}).  scalar_net's numbers:"]
    diverged = playground.runs["scalar_net"].diverged_at
    if diverged is not None:
        lines.append(f"(scalar_net's run diverged at epoch {diverged} and takes no more steps: these are the "
                     "numbers its parameters give now)")

    lines += ["", "Forward: z = a·W + b, then a = g(z)" + (f"; hidden g = {activation}" if last > 1 else "")
              + "; the output's g is σ"]
    for l in range(1, last + 1):
        def neuron(j, l=l):
            below = range(W[l].shape[0])
            symbols = [f"{_a(l - 1, i, last)}·W{l}[{i},{j}]" for i in below]
            values = [f"{num.factor(trace.A[l - 1][r, i])}·{num.factor(W[l][i, j])}" for i in below]
            if bias:
                symbols.append(f"b{l}[{j}]")
                values.append(num.factor(b[l][j]))
            z = num(trace.Z[l][r, j])
            if SYMBOL[g[l]]:
                a_line = _equation(_a(l, j, last), f"{SYMBOL[g[l]]}(z{l}[{j}])", f"{SYMBOL[g[l]]}({z})",
                                       num(trace.A[l][r, j]))
            else:
                a_line = [f"  {_a(l, j, last)} = z{l}[{j}] = {num(trace.A[l][r, j])}"]
            return _equation(f"z{l}[{j}]", _sum(symbols), _sum(values), z) + a_line
        lines += _layer(W[l].shape[1], neuron, f"neurons in layer {l}")

    y_hat, z_out = trace.A[last][r, 0], trace.Z[last][r, 0]
    lines += ["", "Loss of this sample, ℓ, and of the batch, L = (Σ ℓ) / m"]
    if config.loss == "mse":
        lines.append(f"  ℓ = (ŷ − y)² = ({num(y_hat)} − {y:g})² = {num(trace.losses[r])}")
    elif config.loss == "half-mse":
        lines.append(f"  ℓ = (1/2)·(ŷ − y)² = (1/2)·({num(y_hat)} − {y:g})² = {num(trace.losses[r])}")
    else:
        lines.append(f"  ℓ = softplus(z{last}[0]) − y·z{last}[0], at z{last}[0] = {num(z_out)}, y = {y:g}: "
                     f"{num(trace.losses[r])}")
    lines.append(f"  L = {num(trace.loss)}")

    lines += ["", "Backward: δ = ∂L/∂z, the output's first, then each layer's from the one above"]
    delta = trace.Delta[last][r, 0]
    if config.loss == "mse":
        lines += _equation(f"δ{last}[0]", "(2/m)·(ŷ − y)·ŷ·(1 − ŷ)", f"(2/{m})·({num(y_hat)} − {y:g})"
                           f"·{num.factor(y_hat)}·(1 − {num.factor(y_hat)})", num(delta))
    elif config.loss == "half-mse":
        lines += _equation(f"δ{last}[0]", "(1/m)·(ŷ − y)·ŷ·(1 − ŷ)", f"(1/{m})·({num(y_hat)} − {y:g})"
                           f"·{num.factor(y_hat)}·(1 − {num.factor(y_hat)})", num(delta))
    else:
        lines += _equation(f"δ{last}[0]", "(1/m)·(ŷ − y)", f"(1/{m})·({num(y_hat)} − {y:g})", num(delta))
    for l in range(last - 1, 0, -1):
        def neuron(i, l=l):
            above = range(W[l + 1].shape[1])
            back = _sum([f"W{l + 1}[{i},{k}]·δ{l + 1}[{k}]" for k in above])
            back_values = _sum([f"{num.factor(W[l + 1][i, k])}·{num.factor(trace.Delta[l + 1][r, k])}" for k in above])
            symbol, value = _derivative(activation, l, i, trace.Z[l][r, i], trace.A[l][r, i], slope, num)
            return _equation(f"δ{l}[{i}]", f"{symbol}·({back})", f"{value}·({back_values})",
                             num(trace.Delta[l][r, i]))
        lines += _layer(W[l].shape[1], neuron, f"neurons in layer {l}")

    lines += ["", f"Gradient: this sample's share, a_belowᵀ·δ, and the batch's sum over its {m} samples, "
              "which the update uses"]
    for l in range(1, last + 1):
        share = np.outer(trace.A[l - 1][r], trace.Delta[l][r])
        below = "x" if l == 1 else f"a{l - 1}"
        lines.append(f"  ∂L/∂W{l}: this sample's {below}ᵀ·δ{l}" + (" (this is the batch's sum: m = 1)" if m == 1 else ""))
        lines += _matrix(share, num)
        if m > 1:
            lines.append(f"    the batch's Σ over samples of {below}ᵀ·δ{l}")
            lines += _matrix(trace.grads[2 * (l - 1) if bias else l - 1], num)
    if bias:
        lines.append("  ∂L/∂b of each layer: this sample's δ; the batch's Σ δ")
        for l in range(1, last + 1):
            lines.append(f"    b{l}: {_row(trace.Delta[l][r], num)}"
                         + ("" if m == 1 else f"   batch: {_row(trace.grads[2 * l - 1], num)}"))

    matrix = playground.next_step(sample, "matrix_net")
    difference = _largest_difference(trace, matrix.trace, r)
    mode = "exact mode" if config.exact else "BLAS mode"
    rows = ", ".join(f"{name}{l}[{r}]" for l in range(1, last + 1) for name in ("Z", "A", "Delta"))
    agree = "the same bits" if difference == 0.0 else f"numbers that differ by at most {difference:.3g}"
    lines += ["", f"As matrices: matrix_net's trace_step holds these numbers in the rows {rows} of its (m × width) "
              f"matrices, and its gradients as Aᵀ·Delta; in {mode} it gives {agree}."]
    return "\n".join(lines) + "\n"
