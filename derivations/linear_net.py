"""The network with no hidden activation (identity): its closed-form gradient, and why it draws a line.

With g(z) = z every hidden layer is an affine map, and affine maps compose to one affine map, so
the 2-4-4-1 network computes y_hat = sigma(x w_eff + b_eff): logistic regression with extra
parameters.  Its decision boundary y_hat = 1/2 is a straight line, and no straight line
separates XOR.  Sympy proves the collapse, the closed-form gradient for every parameter, and the
identity behind the XOR argument.
"""

from functools import lru_cache

import numpy as np
import sympy as sp

from backprop_lab import data
from backprop_lab.conventions import DECISION_THRESHOLD
from backprop_lab.network import LAB_SIZES
from derivations import elementwise, losses, notation, render
from derivations.proof import by_expanding
from derivations.sigmoid import sigma

FILENAME = "05_no_activation.md"

#: The four corners of the unit square and their XOR labels.
XOR_CORNERS = (((0, 0), 0), ((1, 1), 0), ((0, 1), 1), ((1, 0), 1))


@lru_cache(maxsize=None)
def matrices(sizes=LAB_SIZES):
    """(x, [None, W1, W2, ...], [None, b1, b2, ...]): one sample's row and the parameters as Matrices."""
    L = len(sizes) - 1
    x = sp.Matrix([[notation.input_(i) for i in range(sizes[0])]])
    W = [None] + [sp.Matrix(sizes[l - 1], sizes[l], lambda i, j: notation.weight(l, i, j)) for l in range(1, L + 1)]
    b = [None] + [sp.Matrix(1, sizes[l], lambda _, j: notation.bias(l, j)) for l in range(1, L + 1)]
    return x, W, b


def effective_parameters(sizes=LAB_SIZES):
    """(w_eff, b_eff): the one affine map the identity network computes, z_out = x w_eff + b_eff.

    z1 = x W1 + b1;  z2 = z1 W2 + b2 = x W1 W2 + b1 W2 + b2;  ... peel one layer at a time.
    """
    _, W, b = matrices(sizes)
    w_eff, b_eff = W[1], b[1]
    for l in range(2, len(sizes)):
        w_eff, b_eff = w_eff * W[l], b_eff * W[l] + b[l]
    return w_eff, b_eff


def collapse_claim(sizes=LAB_SIZES):
    """The network's output pre-activation, built neuron by neuron, equals x w_eff + b_eff."""
    derivation = elementwise.derive(tuple(sizes), True, "identity", "mse")
    x, _, _ = matrices(sizes)
    w_eff, b_eff = effective_parameters(sizes)
    net = derivation.net
    return by_expanding(net.z[net.output_layer][0], (x * w_eff + b_eff)[0, 0])


def closed_form_gradient(sizes=LAB_SIZES):
    """[dl/dW1, dl/db1, ...] as matrices, for one sample with MSE, in terms of delta of the output.

    With g' = 1 each hidden delta is the output delta times a product of the weights above, so
    dl/dW_l = (activation below)^T delta (W_{l+1} ... W_L)^T and dl/db_l = delta (W_{l+1} ... W_L)^T.
    """
    x, W, b = matrices(sizes)
    L = len(sizes) - 1
    w_eff, b_eff = effective_parameters(sizes)
    y_hat = sigma((x * w_eff + b_eff)[0, 0])
    delta = losses.output_delta("mse", y_hat, notation.target())
    gradients = []
    below = x  # the activations of layer l-1: x, then x W1 + b1, ...
    for l in range(1, L + 1):
        above = sp.eye(sizes[l])  # W_{l+1} ... W_L, the path from layer l to the output
        for k in range(l + 1, L + 1):
            above = above * W[k]
        gradients.append(below.T * delta * above.T)
        gradients.append(delta * above.T)
        below = below * W[l] + b[l]
    return gradients


def gradient_claims(sizes=LAB_SIZES):
    """label -> brute force dl/dtheta of the identity network = the closed form's entry."""
    derivation = elementwise.derive(tuple(sizes), True, "identity", "mse")
    gradients = closed_form_gradient(sizes)
    claims = {}
    for p in derivation.net.parameters:
        block = gradients[2 * (p.layer - 1) + (p.row is None)]
        entry = block[0, p.column] if p.row is None else block[p.row, p.column]
        claims[p.label] = by_expanding(derivation.brute_force[p.label], entry)
    return claims


def xor_identity():
    """For any affine f(x0, x1) = u x0 + v x1 + c:  f(0,1) + f(1,0) = f(0,0) + f(1,1)."""
    u, v, c = (notation.symbol(name, name) for name in ("u", "v", "c"))
    f = lambda x0, x1: u * x0 + v * x1 + c  # noqa: E731
    return by_expanding(f(0, 1) + f(1, 0), f(0, 0) + f(1, 1))


def lab_xor_corners():
    """The corners of XOR_CORNERS that the lab's XOR data set holds, with the label it gives them."""
    X, Y = data.generate_xor_easy()
    found = []
    for corner, label in XOR_CORNERS:
        rows = np.flatnonzero((X[:, 0] == corner[0]) & (X[:, 1] == corner[1]))
        if rows.size:
            found.append((corner, int(Y[rows[0], 0]), label))
    return found, len(X)


#: A 2-2-1 sigmoid network that does separate XOR: hidden OR and NAND, output AND.
XOR_WITNESS = {"W1": [[20, -20], [20, -20]], "b1": [-10, 30], "W2": [[20], [20]], "b2": [-30]}


def witness_outputs():
    """(corner, XOR label, y_hat) for XOR_WITNESS: y_hat evaluated by sympy to 30 digits, as a float."""
    W1, b1 = sp.Matrix(XOR_WITNESS["W1"]), sp.Matrix([XOR_WITNESS["b1"]])
    W2, b2 = sp.Matrix(XOR_WITNESS["W2"]), sp.Matrix([XOR_WITNESS["b2"]])
    outputs = []
    for corner, label in XOR_CORNERS:
        hidden = (sp.Matrix([corner]) * W1 + b1).applyfunc(lambda u: 1 / (1 + sp.exp(-u)))
        y_hat = 1 / (1 + sp.exp(-(hidden * W2 + b2)[0, 0]))
        outputs.append((corner, label, float(y_hat.evalf(30))))
    return outputs


def document():
    """The Markdown of 05_no_activation.md."""
    sizes = LAB_SIZES
    derivation = elementwise.derive(sizes, True, "identity", "mse")
    net = derivation.net
    collapse = collapse_claim(sizes)
    claims = gradient_claims(sizes)
    proved = sum(c.proved for c in claims.values())
    identity = xor_identity()
    corners, n_points = lab_xor_corners()
    w_eff, _ = effective_parameters(sizes)
    blocks_table = []
    names = ["W1", "b1", "W2", "b2", "W3", "b3"]
    closed_forms = [
        (r"x^T\,\delta\,\left(W_2 W_3\right)^T", "2 \\times 4"),
        (r"\delta\,\left(W_2 W_3\right)^T", "1 \\times 4"),
        (r"\left(x W_1 + b_1\right)^T \delta\, W_3^T", "4 \\times 4"),
        (r"\delta\, W_3^T", "1 \\times 4"),
        (r"\left(x W_1 W_2 + b_1 W_2 + b_2\right)^T \delta", "4 \\times 1"),
        (r"\delta", "1 \\times 1"),
    ]
    for name, (formula, shape) in zip(names, closed_forms):
        block = [c for label, c in claims.items() if label.startswith(name)]
        blocks_table.append([f"`{name}`", rf"$\frac{{\partial \ell}}{{\partial {name[0]}_{name[1]}}} = {formula}$",
                             f"${shape}$", f"{sum(c.proved for c in block)} of {len(block)}"])
    example = net.parameters[0]
    corner_rows = [[f"$({c[0]}, {c[1]})$", str(given), str(label), "yes" if given == label else "**no**"]
                   for c, given, label in corners]
    blocks = [
        render.header("A network with no activation function", "derivations/linear_net.py"),
        f"**Result: with the identity as hidden activation, the 2-4-4-1 network is logistic "
        f"regression in disguise. Sympy proves that its output is $\\sigma(x\\,w_{{\\text{{eff}}}} "
        f"+ b_{{\\text{{eff}}}})$ ({'proved' if collapse.proved else 'NOT proved'}) and that the "
        f"closed-form gradient below is the brute-force one for all {len(claims)} parameters "
        f"({proved} of {len(claims)} proved); its decision boundary is a straight line, so it "
        "cannot learn XOR.**",
        "## The network",
        "Choose `activation=\"identity\"`: every hidden neuron passes its weighted input on "
        "unchanged, $a = g(z) = z$; the output is still a sigmoid. In matrix form, one sample "
        "being the row $x = (x_0, x_1)$:",
        render.aligned([("a^{(1)} = z^{(1)}", r"x\,W_1 + b_1"),
                        ("a^{(2)} = z^{(2)}", r"a^{(1)} W_2 + b_2"),
                        ("z^{(3)}", r"a^{(2)} W_3 + b_3"),
                        (r"\hat y", r"\sigma\left(z^{(3)}\right)")]),
        "## A composition of affine maps is affine",
        "Substituting each layer into the next and multiplying out:",
        render.display(r"z^{(3)} = \left(\left(x W_1 + b_1\right) W_2 + b_2\right) W_3 + b_3 = "
                       r"x\,\underbrace{W_1 W_2 W_3}_{w_{\text{eff}}:\ 2\times 1} + "
                       r"\underbrace{b_1 W_2 W_3 + b_2 W_3 + b_3}_{b_{\text{eff}}:\ 1\times 1}"),
        "Entry by entry, $w_{\\text{eff},i} = \\sum_{k}\\sum_{j} w^{(1)}_{ik}\\, w^{(2)}_{kj}\\, "
        f"w^{{(3)}}_{{j0}}$, a sum of {len(sp.Add.make_args(sp.expand(w_eff[0, 0])))} products. "
        "Sympy builds $z^{(3)}$ neuron by neuron as in "
        "[02_elementwise_2-4-4-1.md](02_elementwise_2-4-4-1.md) (with $g(z) = z$) and compares it "
        "with $x\\,w_{\\text{eff}} + b_{\\text{eff}}$:",
        render.sympy_says(collapse, how="expands"),
        "So $\\hat y = \\sigma(x\\,w_{\\text{eff}} + b_{\\text{eff}})$: whatever the 37 "
        "parameters, the network computes a function that 3 numbers already describe. The extra "
        "parameters change how gradient descent moves, not what the network can represent. "
        "Without biases $b_{\\text{eff}} = 0$.",
        "## The closed-form gradient",
        "Backpropagation with $g' = 1$: every hidden delta is the output delta times the weights "
        "on the way down, $\\delta^{(2)} = \\delta\\,W_3^T$ and $\\delta^{(1)} = \\delta\\,(W_2W_3)^T$, "
        "where for one sample with mean squared error",
        render.display(r"\delta = \delta^{(3)}_0 = 2\left(\hat y - y\right)\hat y\left(1 - \hat y\right), "
                       r"\qquad \hat y = \sigma\left(x\,w_{\text{eff}} + b_{\text{eff}}\right)."),
        "With the rule $\\partial\\ell/\\partial W_l = a^{(l-1)T}\\delta^{(l)}$ that gives, block by "
        "block, the table below. For each entry sympy differentiates the loss by brute force and "
        "expands the difference from the closed form:",
        render.table(["parameter", "closed form", "shape", "entries proved"], blocks_table),
        f"For example, sympy's brute-force derivative by ${render.tex(example.symbol)}$, with "
        "$\\hat y$ written back in:",
        render.display(rf"\frac{{\partial \ell}}{{\partial {render.tex(example.symbol)}}} = "
                       rf"{render.tex(net.abbreviate(derivation.brute_force[example.label]))}"),
        "which is $x_0\\,\\delta\\,(W_2W_3)_{0}$: no hidden activation appears, only the weights.",
        "## The decision boundary is a straight line",
        f"The network says class 1 when $\\hat y > {DECISION_THRESHOLD}$. The sigmoid is strictly "
        "increasing with $\\sigma(0) = \\frac12$ ([01_sigmoid.md](01_sigmoid.md)), so",
        render.display(r"\hat y > \tfrac12 \iff z^{(3)} > 0 \iff "
                       r"x_0\, w_{\text{eff},0} + x_1\, w_{\text{eff},1} + b_{\text{eff}} > 0 ."),
        "The points with $x_0 w_{\\text{eff},0} + x_1 w_{\\text{eff},1} + b_{\\text{eff}} = 0$ form "
        "a straight line (unless $w_{\\text{eff}} = 0$, when every point gets the same class): "
        "class 1 is one side of it, class 0 the other. Without biases the line passes through "
        "the origin.",
        "## Why it cannot learn XOR",
        "XOR puts $(0,0)$ and $(1,1)$ in class 0 and $(0,1)$ and $(1,0)$ in class 1. For any "
        "affine $f(x_0, x_1) = u x_0 + v x_1 + c$:",
        render.display(r"f(0,1) + f(1,0) = f(0,0) + f(1,1)"),
        render.sympy_says(identity, how="expands"),
        "Classifying all four corners right would need $f(0,1) > 0$ and $f(1,0) > 0$, so the "
        "left side is positive, and $f(0,0) \\le 0$ and $f(1,1) \\le 0$, so the right side is "
        "not: a contradiction. Every straight line misclassifies at least one corner, whatever "
        "the training.",
        f"The lab's XOR data (`backprop_lab.data.generate_xor_easy`, {n_points} points) contains "
        "these corners:",
        render.table(["corner", "label in the data", "XOR label", "same"], corner_rows),
        f"so the network with no activation function stays below 100 % accuracy on it: at most "
        f"{n_points - 1} of {n_points}.",
        "## What a non-linear hidden layer changes",
        "With a sigmoid between the layers, $z$ of the output is no longer affine in $x$ and the "
        "argument above does not apply. One hidden layer of two sigmoids is already enough: with "
        "these weights the hidden neurons compute OR and NAND, and the output their AND,",
        render.display(rf"W_1 = {render.tex(sp.Matrix(XOR_WITNESS['W1']))}, \quad "
                       rf"b_1 = {render.tex(sp.Matrix([XOR_WITNESS['b1']]))}, \quad "
                       rf"W_2 = {render.tex(sp.Matrix(XOR_WITNESS['W2']))}, \quad "
                       rf"b_2 = {render.tex(sp.Matrix([XOR_WITNESS['b2']]))}"),
        "which classifies all four corners right (sympy evaluates exactly, rounded here to five places):",
        render.table(["corner", "XOR label", "$\\hat y$", f"class ($\\hat y > {DECISION_THRESHOLD}$)"],
                     [[f"$({c[0]}, {c[1]})$", str(label), f"{value:.5f}", str(int(value > DECISION_THRESHOLD))]
                      for c, label, value in witness_outputs()]),
    ]
    return render.page(blocks)
