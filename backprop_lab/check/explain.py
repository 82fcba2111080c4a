"""The reference's numbers for one entry of a gradient, in the notation of ``backprop-lab trace``.

For a wrong entry the report shows how the reference computes it: the entry's line as trace
prints it (``∂L/∂W2[1,0] = a1[1]·δ2[0] = 0.731656·0.0603545 = 0.0441589``), then, for the batch of
one sample, the delta it is made of, from trace's recurrence ``δl[i] = g'(zl[i])·Σ_j W(l+1)[i,j]·δ(l+1)[j]``
with the factors and the result trace prints for it, and the deltas above.  Every number is the
reference's (scalar_net.trace_step); the names are trace's: row layout, ``W2[i,j]`` from neuron i
of layer 1 to neuron j of layer 2, layer 0 the inputs x0, x1, ``ŷ`` the output.
"""

from backprop_lab.check import mistakes
from backprop_lab.formatting import derivative_written

DIGITS = 6


def num(value):
    return f"{float(value):.{DIGITS}g}"


def factor(value):
    """A number as a factor of a product: negative ones in parentheses, as trace writes them."""
    text = num(value)
    return f"({text})" if text.startswith("-") else text


def _plus(pieces):
    return " + ".join(pieces)


def activation_symbol(network, l, i):
    """trace's name of a_l[i]: x_i for the inputs, ŷ for the output."""
    return f"x{i}" if l == 0 else "ŷ" if l == network.L else f"a{l}[{i}]"


def entry_line(network, step, name, index):
    """The entry's line of trace's section 4, for a batch of any size."""
    l = int(name[1:])
    m = step.Delta[l].shape[0]
    sum_s = "Σ_s " if m > 1 else ""
    if name.startswith("W"):
        i, j = index
        value = step.grads[_position(network, name)][i, j]
        products = [f"{factor(step.A[l - 1][s, i])}·{factor(step.Delta[l][s, j])}" for s in range(m)]
        symbol = f"{sum_s}{activation_symbol(network, l - 1, i)}·δ{l}[{j}]"
        return f"∂L/∂W{l}[{i},{j}] = {symbol} = {_plus(products)} = {num(value)}"
    (j,) = index
    value = step.grads[_position(network, name)][j]
    terms = f" = {_plus(num(step.Delta[l][s, j]) for s in range(m))}" if m > 1 else ""
    return f"∂L/∂b{l}[{j}] = {sum_s}δ{l}[{j}]{terms} = {num(value)}"


def _position(network, name):
    return network.names.index(name)


def derivative(network, z, a):
    """g'(z) of the hidden activation as the trainers form it: from a for sigmoid and tanh."""
    if network.activation == "sigmoid":
        return a * (1.0 - a)
    if network.activation == "tanh":
        return 1.0 - a * a
    return float(mistakes.derivative(network.activation, z, network.leaky_slope))


def derivative_text(network, l, i, z, a):
    """g'(zl[i]) as trace writes it: (symbols, numbers)."""
    kind = network.activation
    return derivative_written(kind, f"z{l}[{i}]", f"a{l}[{i}]"), derivative_written(kind, num(z), num(a))


def delta_line(network, params, step, y, l, i):
    """δl[i] of a batch of one sample with label y: trace's formula, its factors and its result."""
    L = network.L
    delta = step.Delta[l][0, i]
    if l == L:
        y_hat = step.A[L][0, 0]
        error = y_hat - y
        if network.loss == "mse":
            return (f"δ{L}[0] = (2/m)·(ŷ − y)·ŷ·(1 − ŷ) = (2/1)·({num(y_hat)} − {num(y)})·{factor(y_hat)}·"
                    f"(1 − {num(y_hat)}) = 2·{factor(error)}·{factor(y_hat * (1.0 - y_hat))} = {num(delta)}")
        if network.loss == "half-mse":
            return (f"δ{L}[0] = (1/m)·(ŷ − y)·ŷ·(1 − ŷ) = (1/1)·({num(y_hat)} − {num(y)})·{factor(y_hat)}·"
                    f"(1 − {num(y_hat)}) = 1·{factor(error)}·{factor(y_hat * (1.0 - y_hat))} = {num(delta)}")
        return f"δ{L}[0] = (1/m)·(ŷ − y) = (1/1)·({num(y_hat)} − {num(y)}) = 1·{factor(error)} = {num(delta)}"
    W = params[network.names.index(f"W{l + 1}")]
    back = 0.0
    for j in range(W.shape[1]):  # the sum in increasing j, as the trainers and trace add it
        back += float(W[i, j]) * float(step.Delta[l + 1][0, j])
    z, a = float(step.Z[l][0, i]), float(step.A[l][0, i])
    symbol, numbers = derivative_text(network, l, i, z, a)
    return (f"δ{l}[{i}] = {symbol}·Σ_j W{l + 1}[{i},j]·δ{l + 1}[j] = {numbers}·{factor(back)}"
            f" = {factor(derivative(network, z, a))}·{factor(back)} = {num(delta)}")


def entry_lines(network, params, step, Y, name, index):
    """The lines that show how the reference computes entry ``index`` (rows) of dL/d``name``.

    ``Y``: the batch's labels, (m, 1).  For a batch of one, the entry's delta and the deltas of
    every layer above follow the entry's line.
    """
    lines = [entry_line(network, step, name, index)]
    if Y.shape[0] > 1:
        return lines
    l = int(name[1:])
    lines.append(delta_line(network, params, step, float(Y[0, 0]), l, index[-1]))
    for above in range(l + 1, network.L + 1):
        lines.append(f"δ{above} = [{', '.join(num(v) for v in step.Delta[above][0])}]")
    return lines
