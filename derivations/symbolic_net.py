"""The lab's network as sympy expressions: one sample's forward pass, neuron by neuron, and its loss.

Conventions (row vectors, W_l of shape (fan_in, fan_out), parameter order): backprop_lab.conventions.
Each quantity exists in two forms:

* local, in the symbols of the layer below, as a reader writes it:
  ``z^{(l)}_j = sum_i a^{(l-1)}_i w^{(l)}_{ij} + b^{(l)}_j``;
* full, with every layer below substituted, so the loss is one expression in the parameters, the
  inputs and the label.  This is what sympy differentiates by brute force.

``abbreviate`` turns a full expression back into the local symbols, for printing.
"""

from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

from backprop_lab.network import LAB_SIZES
from derivations import losses, notation
from derivations.activations import ACTIVATIONS
from derivations.sigmoid import sigma


@dataclass(frozen=True)
class Parameter:
    """One scalar parameter: its name in the code (``W1[0, 3]``, ``b2[1]``) and its symbol.

    ``row`` is i of W_l[i, j] (None for a bias), ``column`` is j.
    """

    label: str
    symbol: sp.Symbol
    layer: int
    row: int | None
    column: int


def parameters(sizes=LAB_SIZES, bias=True):
    """The scalar parameters in the code's order: W1 row by row, b1, W2, b2, ...; cheap (no calculus)."""
    result = []
    for layer in range(1, len(sizes)):
        for i in range(sizes[layer - 1]):
            for j in range(sizes[layer]):
                result.append(Parameter(f"W{layer}[{i}, {j}]", notation.weight(layer, i, j), layer, i, j))
        if bias:
            for j in range(sizes[layer]):
                result.append(Parameter(f"b{layer}[{j}]", notation.bias(layer, j), layer, None, j))
    return result


@dataclass(frozen=True)
class Net:
    """One sample's pass through the network ``sizes``; lists are indexed by layer 0..L.

    x, y:          the inputs x_0, x_1 and the label
    weights[l]:    W_l as nested lists [i][j] of symbols (weights[0] is None)
    biases[l]:     b_l as a list of symbols, or None for the bias-free net
    a_symbols[l], z_symbols[l]: the local symbols a^{(l)}_j, z^{(l)}_j (a_symbols[0] is x)
    z_local[l][j]: z^{(l)}_j in the symbols of layer l-1
    z[l][j], a[l][j]: full expressions; a[0] is x and a[L][0] is y_hat
    loss:          this sample's loss term l (backprop_lab.conventions), full
    """

    sizes: tuple
    bias: bool
    activation: str
    loss_name: str
    parameters: list
    x: list
    y: sp.Symbol
    weights: list
    biases: list
    a_symbols: list
    z_symbols: list
    z_local: list
    z: list
    a: list
    loss: sp.Expr

    @property
    def output_layer(self):
        return len(self.sizes) - 1

    def g(self, layer):
        """The activation of ``layer``: the hidden one below the output, always sigma at the output."""
        return ACTIVATIONS[self.activation] if layer < self.output_layer else ACTIVATIONS["sigmoid"]

    def abbreviate(self, expr):
        """A full expression in the local symbols: each a^{(l)}_j and z^{(l)}_j expression by its name.

        xreplace works from the top of the expression down, so sigma(z-expression) becomes a before
        its argument could become z; a with the identity activation is z, and is printed as a.
        """
        names = {}
        for layer in range(1, self.output_layer + 1):
            for j in range(self.sizes[layer]):
                names[self.z[layer][j]] = self.z_symbols[layer][j]
                names[self.a[layer][j]] = self.a_symbols[layer][j]
        return expr.xreplace(names)

    def substitute(self, expr, layer):
        """A local expression of ``layer`` in full: its a and z symbols replaced by their expressions."""
        full = {}
        for j in range(self.sizes[layer]):
            full[self.a_symbols[layer][j]] = self.a[layer][j]
            if layer > 0:
                full[self.z_symbols[layer][j]] = self.z[layer][j]
        return expr.xreplace(full)


@lru_cache(maxsize=None)
def build(sizes=LAB_SIZES, bias=True, activation="sigmoid", loss="mse", sample=None):
    """The network ``sizes`` for one sample (``sample`` s: the batch row X[s], Y[s])."""
    sizes = tuple(sizes)
    L = len(sizes) - 1
    x = [notation.input_(i, sample) for i in range(sizes[0])]
    y = notation.target(sample)
    weights, biases = [None], [None]
    a_symbols, z_symbols = [x], [None]
    z_local, z, a = [None], [None], [x]
    for layer in range(1, L + 1):
        W = [[notation.weight(layer, i, j) for j in range(sizes[layer])] for i in range(sizes[layer - 1])]
        b = [notation.bias(layer, j) for j in range(sizes[layer])] if bias else None
        weights.append(W)
        biases.append(b)
        z_symbols.append([notation.pre_activation(layer, j, sample) for j in range(sizes[layer])])
        a_symbols.append([notation.activation(layer, j, sample, output=layer == L) for j in range(sizes[layer])])
        # z_j = sum_i a_i w_ij (+ b_j), in the local symbols of the layer below ...
        local = [sum((a_symbols[layer - 1][i] * W[i][j] for i in range(sizes[layer - 1])), sp.S.Zero)
                 + (b[j] if bias else 0) for j in range(sizes[layer])]
        z_local.append(local)
        # ... and in full: the layer below's activations as the expressions they stand for
        below = dict(zip(a_symbols[layer - 1], a[layer - 1]))
        z.append([expr.xreplace(below) for expr in local])
        g = ACTIVATIONS[activation].of if layer < L else sigma  # the output is always a sigmoid
        a.append([g(expr) for expr in z[layer]])
    return Net(sizes, bias, activation, loss, parameters(sizes, bias), x, y, weights, biases,
               a_symbols, z_symbols, z_local, z, a, losses.per_sample(loss, a[L][0], y))
