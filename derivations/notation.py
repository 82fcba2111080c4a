"""The symbols of the derivations, named as in the code, each with the LaTeX it is printed as.

Indices start at 0, exactly as in the code, so ``W1[i, j]`` is ``w^{(1)}_{ij}`` with the same
``i`` and ``j``.  Layer 0 holds the inputs, layer L the output; ``W_l`` and ``b_l`` lead from
layer l-1 into layer l (backprop_lab.conventions).

Sympy symbols get plain names (``w1_0_3``) that are valid Python identifiers, so expressions
can be turned into Python functions by ``lambdify``; their LaTeX is kept in ``LATEX``.
"""

import sympy as sp

#: Symbol -> its LaTeX, for sympy's printer (``symbol_names``).
LATEX = {}


def symbol(name, latex, **assumptions):
    """A sympy Symbol with a plain name, printed as ``latex``."""
    s = sp.Symbol(name, **assumptions)
    LATEX[s] = latex
    return s


def _sample_suffix(sample):
    """Name and LaTeX suffixes that tell the samples of a batch apart (none for one sample)."""
    if sample is None:
        return "", ""
    return f"_s{sample}", rf"[{sample}]"


def weight(layer, i, j):
    """W{layer}[i, j]: from neuron i of layer-1 to neuron j of layer."""
    return symbol(f"w{layer}_{i}_{j}", rf"w^{{({layer})}}_{{{i}{j}}}")


def bias(layer, j):
    """b{layer}[j]: the bias of neuron j of layer."""
    return symbol(f"b{layer}_{j}", rf"b^{{({layer})}}_{{{j}}}")


def input_(i, sample=None):
    """x_i, the i-th input (= a^{(0)}_i); with ``sample`` s, the entry X[s, i] of the batch."""
    if sample is None:
        return symbol(f"x_{i}", rf"x_{{{i}}}")
    return symbol(f"x_{sample}_{i}", rf"x_{{{sample},{i}}}")


def target(sample=None):
    """y, the label of the sample; with ``sample`` s, the entry Y[s, 0] of the batch."""
    if sample is None:
        return symbol("y", "y")
    return symbol(f"y_{sample}", rf"y_{{{sample}}}")


def pre_activation(layer, j, sample=None):
    """z^{(layer)}_j, neuron j's weighted input, as a symbol (an abbreviation for reading)."""
    name, latex = _sample_suffix(sample)
    return symbol(f"z{layer}_{j}{name}", rf"z^{{({layer})}}_{{{j}}}{latex}")


def activation(layer, j, sample=None, output=False):
    """a^{(layer)}_j = g(z^{(layer)}_j) as a symbol; the output neuron's is printed y-hat."""
    name, latex = _sample_suffix(sample)
    shown = r"\hat{y}" if output else rf"a^{{({layer})}}_{{{j}}}"
    return symbol(f"a{layer}_{j}{name}", shown + latex)


def delta(layer, j, sample=None):
    """delta^{(layer)}_j = dl/dz^{(layer)}_j as a symbol."""
    name, latex = _sample_suffix(sample)
    # Named with a Greek letter because sympy orders a product's factors by name: "δ" sorts
    # after "w", so w delta prints in the code's order, W[l, i, j] * delta[l+1, j].
    return symbol(f"δ{layer}_{j}{name}", rf"\delta^{{({layer})}}_{{{j}}}{latex}")
