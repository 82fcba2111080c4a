"""Backpropagation as matrices, checked on explicit matrices of symbols for a small batch.

The batch equations of matrix_net/backprop.py are built for a batch of m = BATCH samples from
matrices whose every entry is a sympy symbol (X[s, i] = x_{s,i}, W1[i, j] = w^{(1)}_{ij}, ...).
For every parameter, sympy proves that the entry of A^T Delta (or 1^T Delta for a bias)

* equals the mean over the samples of the element-wise gradients a_i delta_j of elementwise.py,
* equals the brute-force derivative of the batch loss L = (1/m) sum_s l_s,
* is the transpose of what the column-vector convention of textbooks computes.

Sympy's MatrixSymbol calculus is not used: with an element-wise sigma it is unreliable (it raises
errors, and in one form silently returns a wrong zero), whereas explicit matrices of symbols are
ordinary expressions that expand and compare like the element-wise ones.
"""

from dataclasses import dataclass, field
from functools import lru_cache

import sympy as sp

from backprop_lab.network import LAB_SIZES
from derivations import elementwise, losses, notation, render, symbolic_net
from derivations.proof import by_expanding
from derivations.sigmoid import sigma

FILENAME = "04_matrix_form.md"

#: The batch size of the check: two samples already make every sum over samples a real sum.
BATCH = 2


def _elementwise(matrix, function):
    """function(matrix[s, j], s, j) for every entry: a matrix of the same shape."""
    return sp.Matrix(matrix.rows, matrix.cols, lambda s, j: function(matrix[s, j], s, j))


def gradient_entry(grad_W, grad_b, parameter):
    """The entry of grad_W[l] = A^T Delta (or grad_b[l] = 1^T Delta) that is ``parameter``'s gradient."""
    if parameter.row is None:
        return grad_b[parameter.layer][0, parameter.column]
    return grad_W[parameter.layer][parameter.row, parameter.column]


@dataclass
class BatchDerivation:
    """The batch equations of one network on explicit matrices; lists are indexed by layer 0..L.

    Row-vector form, as in the code: X (m, 2), W[l] (n_{l-1}, n_l), b[l] (1, n_l) or None,
    Z[l] = A[l-1] W[l] + 1_m b[l] and A[l] (m, n_l), Delta[l] (m, n_l), grad_W[l], grad_b[l].
    Column-vector form, as in textbooks (names with ``column_``): every matrix transposed,
    Z'[l] = W'[l] A'[l-1] + b'[l] 1_m^T with W'[l] = W[l]^T, computed independently.
    """

    m: int
    sizes: tuple
    bias: bool
    loss_name: str
    X: sp.Matrix
    Y: sp.Matrix
    W: list
    b: list
    Z: list
    A: list
    Delta: list
    grad_W: list
    grad_b: list
    loss: sp.Expr
    column_Z: list
    column_grad_W: list
    column_grad_b: list
    _claims: dict = field(default_factory=dict)

    def entry(self, parameter):
        """The entry of A^T Delta (or 1^T Delta) that is this parameter's gradient."""
        return gradient_entry(self.grad_W, self.grad_b, parameter)

    def column_entry(self, parameter):
        """The same gradient in the column convention: entry [j, i] of Delta' A'^T (or [j] of Delta' 1)."""
        if parameter.row is None:
            return self.column_grad_b[parameter.layer][parameter.column, 0]
        return self.column_grad_W[parameter.layer][parameter.column, parameter.row]

    def per_sample_mean(self, parameter):
        """(1/m) sum_s of the element-wise backprop gradient a_i delta_j of sample s (elementwise.py)."""
        total = sp.S.Zero
        for s in range(self.m):
            sample = elementwise.derive(self.sizes, self.bias, "sigmoid", self.loss_name, s)
            below, above = sample.backprop[parameter.label]
            total += below * above
        return total / self.m

    def claims(self, parameter):
        """(A^T Delta = mean of element-wise, A^T Delta = brute force of L, column form = transpose)."""
        if parameter.label not in self._claims:
            entry = self.entry(parameter)
            self._claims[parameter.label] = (
                by_expanding(entry, self.per_sample_mean(parameter)),
                by_expanding(entry, sp.diff(self.loss, parameter.symbol)),
                by_expanding(self.column_entry(parameter), entry),
            )
        return self._claims[parameter.label]


def _row_form(X, Y, W, b, loss, m):
    """matrix_net/backprop.py on symbols: forward, backward, gradients.  Returns (Z, A, Delta, gW, gb)."""
    L = len(W) - 1
    Z, A = [None], [X]
    for l in range(1, L + 1):
        Zl = A[l - 1] * W[l]  # Z = A W ...
        if b[l] is not None:
            Zl = Zl + sp.ones(X.rows, 1) * b[l]  # ... + b on every row (NumPy broadcasts; here 1_m b)
        Z.append(Zl)
        A.append(Zl.applyfunc(sigma))  # A = sigma(Z), entry by entry
    Delta = [None] * (L + 1)
    Delta[L] = _elementwise(A[L], lambda y_hat, s, _: losses.output_delta(loss, y_hat, Y[s, 0]) / m)
    for l in range(L - 1, 0, -1):
        back = Delta[l + 1] * W[l + 1].T  # dL/dA[l] = Delta[l+1] W_{l+1}^T
        Delta[l] = back.multiply_elementwise(A[l].applyfunc(lambda a: a * (1 - a)))  # times sigma'(Z[l])
    grad_W = [None] + [A[l - 1].T * Delta[l] for l in range(1, L + 1)]
    grad_b = [None] + [sp.ones(1, X.rows) * Delta[l] for l in range(1, L + 1)]
    return Z, A, Delta, grad_W, grad_b


def _column_form(X, Y, W, b, loss, m):
    """The textbook's column-vector equations: z = W' a + b with W' = W^T.  Returns (Z', gW', gb')."""
    L = len(W) - 1
    W_col = [None] + [W[l].T for l in range(1, L + 1)]  # W'_l: (n_l, n_{l-1})
    b_col = [None] + [None if b[l] is None else b[l].T for l in range(1, L + 1)]  # b'_l: (n_l, 1)
    Z, A = [None], [X.T]  # A'[0] = X^T: one column per sample
    for l in range(1, L + 1):
        Zl = W_col[l] * A[l - 1]
        if b_col[l] is not None:
            Zl = Zl + b_col[l] * sp.ones(1, X.rows)
        Z.append(Zl)
        A.append(Zl.applyfunc(sigma))
    Delta = [None] * (L + 1)
    Delta[L] = _elementwise(A[L], lambda y_hat, _, s: losses.output_delta(loss, y_hat, Y[s, 0]) / m)
    for l in range(L - 1, 0, -1):
        Delta[l] = (W_col[l + 1].T * Delta[l + 1]).multiply_elementwise(A[l].applyfunc(lambda a: a * (1 - a)))
    grad_W = [None] + [Delta[l] * A[l - 1].T for l in range(1, L + 1)]
    grad_b = [None] + [Delta[l] * sp.ones(X.rows, 1) for l in range(1, L + 1)]
    return Z, grad_W, grad_b


@lru_cache(maxsize=None)
def derive(m=BATCH, sizes=LAB_SIZES, bias=True, loss="mse"):
    """The BatchDerivation of the sigmoid network ``sizes`` for a batch of ``m`` samples."""
    sizes = tuple(sizes)
    L = len(sizes) - 1
    X = sp.Matrix(m, sizes[0], lambda s, i: notation.input_(i, s))
    Y = sp.Matrix(m, 1, lambda s, _: notation.target(s))
    W = [None] + [sp.Matrix(sizes[l - 1], sizes[l], lambda i, j: notation.weight(l, i, j)) for l in range(1, L + 1)]
    b = [None] + [sp.Matrix(1, sizes[l], lambda _, j: notation.bias(l, j)) if bias else None for l in range(1, L + 1)]
    Z, A, Delta, grad_W, grad_b = _row_form(X, Y, W, b, loss, m)
    column_Z, column_grad_W, column_grad_b = _column_form(X, Y, W, b, loss, m)
    batch_loss = sum((losses.per_sample(loss, A[L][s, 0], Y[s, 0]) for s in range(m)), sp.S.Zero) / m
    return BatchDerivation(m, sizes, bias, loss, X, Y, W, b, Z, A, Delta, grad_W, grad_b, batch_loss,
                           column_Z, column_grad_W, column_grad_b)


def forward_transposes(derivation):
    """Z'[l] = Z[l]^T for every layer: the two conventions compute the same weighted inputs."""
    return [by_expanding(derivation.column_Z[l], derivation.Z[l].T) for l in range(1, len(derivation.sizes))]


# --- the Markdown ---------------------------------------------------------------------------------

def _shape(rows, cols):
    return rf"{rows} \times {cols}"


def _braced(latex, rows, cols):
    return rf"\underbrace{{{latex}}}_{{{_shape(rows, cols)}}}"


def _batch_equations(sizes, bias):
    """(forward, backward, gradients): rows of aligned equations, every factor braced with its shape."""
    L = len(sizes) - 1
    ones, ones_T = r"\mathbf{1}_m", r"\mathbf{1}_m^T"
    A = lambda l: "X" if l == 0 else f"A^{{({l})}}"  # noqa: E731
    A_T = lambda l: "X^T" if l == 0 else f"A^{{({l})T}}"  # noqa: E731  (one superscript: valid LaTeX)
    Delta = lambda l: f"\\Delta^{{({l})}}"  # noqa: E731
    forward = []
    for l in range(1, L + 1):
        rhs = _braced(A(l - 1), "m", sizes[l - 1]) + r"\," + _braced(f"W_{l}", sizes[l - 1], sizes[l])
        if bias:
            rhs += " + " + _braced(ones, "m", 1) + r"\," + _braced(f"b_{l}", 1, sizes[l])
        forward.append((_braced(f"Z^{{({l})}}", "m", sizes[l]), rhs))
        name = r"\hat Y = " + A(l) if l == L else A(l)
        forward.append((_braced(name, "m", sizes[l]), rf"\sigma\left(Z^{{({l})}}\right)"))
    backward = [(_braced(Delta(L), "m", 1),
                 r"\frac{2}{m}\left(\hat Y - Y\right) \odot \hat Y \odot \left(1 - \hat Y\right)")]
    for l in range(L - 1, 0, -1):
        product = _braced(Delta(l + 1), "m", sizes[l + 1]) + r"\," + _braced(f"W_{l + 1}^T", sizes[l + 1], sizes[l])
        backward.append((_braced(Delta(l), "m", sizes[l]),
                         rf"\left({product}\right) \odot {A(l)} \odot \left(1 - {A(l)}\right)"))
    gradients = []
    for l in range(L, 0, -1):
        gradients.append((_braced(rf"\frac{{\partial L}}{{\partial W_{l}}}", sizes[l - 1], sizes[l]),
                          _braced(A_T(l - 1), sizes[l - 1], "m") + r"\," + _braced(Delta(l), "m", sizes[l])))
        if bias:
            gradients.append((_braced(rf"\frac{{\partial L}}{{\partial b_{l}}}", 1, sizes[l]),
                              _braced(ones_T, 1, "m") + r"\," + _braced(Delta(l), "m", sizes[l])))
    return forward, backward, gradients


def _shape_table(sizes, bias):
    L = len(sizes) - 1
    n = lambda l: f"n_{{{l}}}"  # noqa: E731
    rows = [["$X = A^{(0)}$", "`X`, `A[0]`", f"${_shape('m', n(0))}$", f"${_shape('m', sizes[0])}$",
             "one sample per row"]]
    for l in range(1, L + 1):
        rows.append([f"$W_{l}$", f"`W[{l}]`", f"${_shape(n(l - 1), n(l))}$", f"${_shape(sizes[l - 1], sizes[l])}$",
                     f"$W_{l}[i, j] = w^{{({l})}}_{{ij}}$, from neuron $i$ below to neuron $j$ above"])
        if bias:
            rows.append([f"$b_{l}$", f"`b[{l}]`", f"${_shape(1, n(l))}$", f"${_shape(1, sizes[l])}$",
                         "added to every row (NumPy broadcasting; here $\\mathbf 1_m b$)"])
        rows.append([f"$Z^{{({l})}}$, $A^{{({l})}}$", f"`Z[{l}]`, `A[{l}]`", f"${_shape('m', n(l))}$",
                     f"${_shape('m', sizes[l])}$", "row $s$: the $z$ and $a$ of sample $s$"])
        rows.append([f"$\\Delta^{{({l})}}$", f"`Delta[{l}]`", f"${_shape('m', n(l))}$", f"${_shape('m', sizes[l])}$",
                     f"$\\partial L / \\partial Z^{{({l})}}$; row $s$ is $\\frac1m$ times sample $s$'s deltas"])
    rows.append(["$\\partial L/\\partial W_l$, $\\partial L/\\partial b_l$", "`grads`",
                 "same as $W_l$, $b_l$", "", "in parameter order $W_1, b_1, W_2, \\ldots$"])
    return render.table(["quantity", "code (`matrix_net/backprop.py`)", "shape", "2-4-4-1", "what it holds"], rows)


def _check_table(derivation):
    rows = []
    for number, p in enumerate(symbolic_net.parameters(derivation.sizes, derivation.bias), start=1):
        per_sample, brute_force, column = derivation.claims(p)
        below = "X^T" if p.layer == 1 else f"A^{{({p.layer - 1})T}}"
        where = (rf"\left(\mathbf 1^T \Delta^{{({p.layer})}}\right)_{{{p.column}}}" if p.row is None
                 else rf"\left({below} \Delta^{{({p.layer})}}\right)_{{{p.row}{p.column}}}")
        rows.append([str(number), f"`{p.label}`", render.inline(where), render.verdict(per_sample),
                     render.verdict(brute_force), render.verdict(column)])
    return render.table(["#", "parameter", "matrix entry", "= mean of element-wise $a_i\\delta_j$",
                         "= brute-force $\\partial L/\\partial\\theta$", "column form = transpose"], rows)


def document():
    """The Markdown of 04_matrix_form.md."""
    derivation = derive()
    sizes, m = derivation.sizes, derivation.m
    params = symbolic_net.parameters(sizes, derivation.bias)
    proved = sum(all(c.proved for c in derivation.claims(p)) for p in params)
    transposes = forward_transposes(derivation)
    forward, backward, gradients = _batch_equations(sizes, derivation.bias)
    deltas = sp.Matrix(m, sizes[1], lambda s, j: notation.delta(1, j, s))
    blocks = [
        render.header("Backpropagation as matrices: the batch equations", "derivations/matrix_form.py"),
        f"**Result: on explicit matrices of symbols for a batch of m = {m}, sympy proves for all "
        f"{len(params)} parameters of the 2-4-4-1 network with biases that the matrix gradient "
        f"$A^T\\Delta$ is the mean of the element-wise gradients of "
        f"[02_elementwise_2-4-4-1.md](02_elementwise_2-4-4-1.md), is the brute-force derivative "
        f"of the batch loss, and is the transpose of the textbooks' column-vector form "
        f"({proved} of {len(params)} proved).**",
        "The matrix trainer (`matrix_net/backprop.py`) processes a whole batch at once: one row per "
        "sample, one column per neuron, every loop of the element-wise trainer over samples and "
        "neurons turned into a matrix product. Conventions: `backprop_lab/conventions.py`.",
        "## Every quantity and its shape",
        "$m$ is the batch size and $n_l$ the number of neurons of layer $l$ "
        f"($n_0 = {sizes[0]}$ inputs, $n_{len(sizes) - 1} = 1$ output).",
        _shape_table(sizes, derivation.bias),
        "## The batch equations",
        "Forward, from the inputs up ($\\sigma$ acts on each entry):",
        render.aligned(forward),
        "The loss of the batch, with $\\hat Y_s$ the output for sample $s$:",
        render.display(r"L = \frac{1}{m}\sum_{s=0}^{m-1}\left(\hat Y_s - Y_s\right)^2"),
        "Backward, from the output down ($\\odot$ multiplies entry by entry; "
        "$A \\odot (1 - A)$ is $\\sigma'(Z)$ by the lemma of [01_sigmoid.md](01_sigmoid.md)):",
        render.aligned(backward),
        "Gradients ($\\mathbf 1_m$ is a column of $m$ ones, so $\\mathbf 1_m^T\\Delta$ sums the rows):",
        render.aligned(gradients),
        "Each product is conformable: the inner sizes match, and every gradient has the shape of "
        "its parameter. With binary cross-entropy only $\\Delta^{(3)}$ changes, to "
        "$\\frac1m(\\hat Y - Y)$ ([07_losses.md](07_losses.md)).",
        "## From the matrices back to the neurons",
        "Write $\\delta^{(l)}_j[s]$ for the element-wise delta of neuron $j$ for sample $s$ "
        "([02_elementwise_2-4-4-1.md](02_elementwise_2-4-4-1.md), one sample, no $\\frac1m$). "
        "Then $\\Delta^{(l)}_{sj} = \\frac1m \\delta^{(l)}_j[s]$: the $\\frac1m$ enters at the output "
        "and every later step is linear in it. Row $s$ of $\\Delta^{(l+1)} W_{l+1}^T$ is "
        "$\\sum_j w^{(l+1)}_{ij}\\,\\delta^{(l+1)}_j[s] / m$, the element-wise recurrence for sample "
        "$s$; the $\\odot$ applies each neuron's own $\\sigma'$. And a matrix product sums over "
        "its inner index, which for $A^T\\Delta$ is the sample:",
        render.display(r"\left(A^{(l-1)T}\,\Delta^{(l)}\right)_{ij} = \sum_{s=0}^{m-1} A^{(l-1)}_{si}\,"
                       r"\Delta^{(l)}_{sj} = \frac{1}{m}\sum_{s=0}^{m-1} a^{(l-1)}_i[s]\;\delta^{(l)}_j[s]"),
        "the element-wise gradient $a_i\\delta_j$ averaged over the batch. For the first layer and "
        f"m = {m}, with the entries of $X$ named $x_{{s,i}}$:",
        render.display(rf"X^T\Delta^{{(1)}} = {render.tex(derivation.X.T)}\,\frac{{1}}{{{m}}}"
                       rf"{render.tex(deltas)} = \frac{{1}}{{{m}}}{render.tex(derivation.X.T * deltas)}"),
        "## Sympy's check on explicit matrices",
        f"Sympy builds the equations above for m = {m} from matrices whose entries are symbols,",
        render.display(rf"X = {render.tex(derivation.X)}, \quad Y = {render.tex(derivation.Y)}, \quad "
                       rf"W_1 = {render.tex(derivation.W[1])}, \quad "
                       rf"b_1 = {render.tex(derivation.b[1])}, \quad \ldots"),
        "with $\\sigma$ unevaluated as in the other files, and compares every entry of the "
        "gradients three ways, each by expanding the difference to exactly 0:",
        "1. against $\\frac1m\\sum_s a_i[s]\\,\\delta_j[s]$ built from the element-wise recurrence of "
        "each sample (the bridge between the two trainers);\n"
        "2. against sympy's brute-force derivative of the batch loss $L$ by that parameter;\n"
        "3. against the column-vector computation of the next section, transposed.",
        "(Sympy's `MatrixSymbol` calculus is not used: with an element-wise $\\sigma$ it raises "
        "errors, and in one form silently returns a wrong zero. Explicit matrices of symbols are "
        "plain expressions.)",
        _check_table(derivation),
        "## Row vectors in the code, column vectors in textbooks",
        "The code follows the lab's spec and NumPy's habit: a sample is a **row**, so a batch "
        "is a matrix with one sample per row and $XW_1$ is one product for all of it. Many "
        "textbooks (Nielsen's *Neural Networks and Deep Learning*, for one) make a sample a "
        "**column** and write the weights the other way round, $W'_l = W_l^T$ of shape "
        "$n_l \\times n_{l-1}$, so that their $w'_{ji}$ is our $w^{(l)}_{ij}$ (Nielsen's "
        "$w^l_{jk}$ goes from neuron $k$ to neuron $j$). Every equation is the transpose of ours:",
        render.table(["", "code: rows", "textbook: columns, $W' = W^T$"], [
            ["one sample's activations", "$a$: $1 \\times n_{l-1}$", "$a$: $n_{l-1} \\times 1$"],
            ["one sample's bias", "$b_l$: $1 \\times n_l$", "$b'_l = b_l^T$: $n_l \\times 1$"],
            ["forward", "$z = a\\,W_l + b_l$", "$z = W'_l\\,a + b'_l = W_l^T a + b_l^T$"],
            ["backward", "$\\delta^{(l)} = \\left(\\delta^{(l+1)} W_{l+1}^T\\right) \\odot g'(z^{(l)})$",
             "$\\delta^{(l)} = \\left(W'^T_{l+1}\\,\\delta^{(l+1)}\\right) \\odot g'(z^{(l)})$"],
            ["one sample's gradient", "$\\partial\\ell/\\partial W_l = a^{(l-1)T}\\delta^{(l)}$ ($n_{l-1}\\times n_l$)",
             "$\\partial\\ell/\\partial W'_l = \\delta^{(l)} a^{(l-1)T}$ ($n_l\\times n_{l-1}$)"],
            ["batch forward", "$Z = A\\,W_l + \\mathbf 1_m b_l$ ($m \\times n_l$)",
             "$Z' = W'_l A' + b'_l \\mathbf 1_m^T$ ($n_l \\times m$), $A' = A^T$"],
            ["batch gradient", "$A^T\\Delta$", "$\\Delta' A'^T = \\left(A^T\\Delta\\right)^T$"],
        ]),
        "Both conventions compute the same numbers; only the bookkeeping is transposed. Sympy "
        "computes the column form separately (forward, backward, gradients) on the same symbols "
        "and checks that its weighted inputs are the transposes of the row form's, layer by layer: "
        + ", ".join(f"$Z'^{{({l})}} = Z^{{({l})T}}$ {'proved' if c.proved else 'NOT proved'}"
                    for l, c in enumerate(transposes, start=1))
        + "; the gradients are compared in the last column of the table above.",
    ]
    return render.page(blocks)
