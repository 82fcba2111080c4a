"""Softmax over K classes and cross-entropy: the Jacobian, the cancellation to y_hat - onehot(y),
the element-wise and the matrix backpropagation of a 2-3-3 network proved equal for every
parameter, and K = 2 softmax as the sigmoid of the difference of the two logits.

Conventions: backprop_lab.conventions (row vectors, z = a W + b, W of shape (fan_in, fan_out)).
For K >= 3 outputs the last layer is y_hat = softmax(z) and one sample's loss is
l = -log y_hat[y] = -sum_k t_k log y_hat_k with t = onehot(y); the batch loss is the mean over
the m samples, so the output delta is (y_hat - onehot(y)) / m (the issue-20 contract).

The label enters the proofs as its one-hot row t_0 .. t_{K-1} with sum 1: t_{K-1} is replaced by
1 - t_0 - ... - t_{K-2} before each difference is expanded, so one proof holds for every label
(and for any row of probabilities summing to 1).  The hidden layer's sigma is the opaque one of
01_sigmoid.md; the softmax is written out with exp, and sympy's products of exp combine
(e^u e^-u = 1), so expanding each difference is again a complete check.
"""

from dataclasses import dataclass, field
from functools import lru_cache

import sympy as sp

from derivations import notation, render, sigmoid, symbolic_net
from derivations.matrix_form import gradient_entry
from derivations.proof import by_expanding, by_simplifying
from derivations.sigmoid import sigma

FILENAME = "10_softmax.md"

K = 3  # classes of the worked examples and of the network
SIZES = (2, 3, K)  # the network of the proofs: 2 inputs, 3 sigmoid neurons, K softmax outputs
BATCH = 2  # samples of the matrix-form check: every sum over samples a real sum

#: One sample's logits (the output layer's weighted inputs) and its one-hot label row.
z = [notation.symbol(f"zk_{k}", f"z_{{{k}}}", real=True) for k in range(K)]
t = [notation.symbol(f"t_{k}", f"t_{{{k}}}", real=True) for k in range(K)]
#: The softmax outputs as symbols, for the formulas a reader writes (y_hat_k = softmax(z)_k).
p = [notation.symbol(f"yhat_{k}", rf"\hat y_{{{k}}}", positive=True) for k in range(K)]
c = notation.symbol("c_shift", "c", real=True)


def softmax(logits):
    """[e^{z_j} / sum_k e^{z_k} for each j], the sum in index order."""
    exps = [sp.exp(u) for u in logits]
    total = sp.Add(*exps)
    return [e / total for e in exps]


class softmax_out(sp.Function):
    """softmax_out(k, z_0, ..., z_{K-1}) = softmax(z)_k, left unevaluated, as sigma is: its derivative
    by z_i is *defined* to be softmax_k (delta_ki - softmax_i), the Jacobian that jacobian_entry
    proves from the exp form.  Expanding then stays a polynomial check, and quick."""

    def _latex(self, printer):
        k, *logits = self.args
        return rf"\operatorname{{softmax}}_{{{k}}}\left({', '.join(printer._print(u) for u in logits)}\right)"

    def fdiff(self, argindex=1):
        k, *logits = self.args
        if argindex == 1:  # the class index is not a variable
            raise sp.ArgumentIndexError(self, argindex)
        i = argindex - 2
        return self * (kronecker(k, i) - softmax_out(i, *logits))


def opaque_softmax(logits):
    """[softmax_out(j, z_0, ..., z_{K-1}) for each j]."""
    return [softmax_out(j, *logits) for j in range(len(logits))]


def cross_entropy(y_hat, label_row):
    """-sum_k t_k log y_hat_k: -log y_hat[y] when t is onehot(y)."""
    return -sp.Add(*[tk * sp.log(yk) for tk, yk in zip(label_row, y_hat)])


def one_hot_sum(label_row):
    """{t_{K-1}: 1 - t_0 - ... - t_{K-2}}: the one fact about a one-hot row the proofs use."""
    return {label_row[-1]: 1 - sp.Add(*label_row[:-1])}


def kronecker(j, k):
    return sp.S.One if j == k else sp.S.Zero


# --- the lemmas on one sample's logits --------------------------------------------------------------

def rows_sum_to_one():
    """sum_j softmax(z)_j = 1."""
    return by_simplifying(sp.Add(*softmax(z)), sp.S.One)


def shift_invariance(j):
    """softmax(z - c)_j = softmax(z)_j for any c: why the code may subtract the largest z first."""
    return by_simplifying(softmax([u - c for u in z])[j], softmax(z)[j])


def jacobian_entry(j, k):
    """d y_hat_j / d z_k = y_hat_j (delta_jk - y_hat_k), from the exp form."""
    y_hat = softmax(z)
    return by_simplifying(sp.diff(y_hat[j], z[k]), y_hat[j] * (kronecker(j, k) - y_hat[k]))


def chain_rule_sum(k):
    """sum_j dl/dy_hat_j * dy_hat_j/dz_k with the Jacobian's formula, in the symbols y_hat_j, t_j."""
    return sp.Add(*[(-t[j] / p[j]) * p[j] * (kronecker(j, k) - p[k]) for j in range(K)])


def chain_rule_cancels(k):
    """The chain rule's sum, with sum_j t_j = 1, is y_hat_k - t_k."""
    return by_expanding(chain_rule_sum(k).xreplace(one_hot_sum(t)), (p[k] - t[k]).xreplace(one_hot_sum(t)))


def gradient_through_softmax(k):
    """d/dz_k of -sum_j t_j log softmax(z)_j, from the exp form, is softmax(z)_k - t_k (sum t = 1)."""
    y_hat = softmax(z)
    rule = one_hot_sum(t)
    return by_simplifying(sp.diff(cross_entropy(y_hat, t), z[k]).xreplace(rule), (y_hat[k] - t[k]).xreplace(rule))


def log_sum_exp_form():
    """-sum_k t_k log softmax(z)_k = log sum_k e^{z_k - c} + c - sum_k t_k z_k, for any c (sum t = 1):
    the finite form, with c the largest z, that never takes the log of an underflowed 0."""
    rule = one_hot_sum(t)
    finite = sp.log(sp.Add(*[sp.exp(u - c) for u in z])) + c - sp.Add(*[tk * u for tk, u in zip(t, z)])
    return by_simplifying(sp.expand_log(cross_entropy(softmax(z), t), force=True).xreplace(rule),
                          sp.expand_log(finite, force=True).xreplace(rule))


def batch_logits():
    """Z (BATCH, K) and T (BATCH, K): the logits and one-hot label rows of a batch, as symbols."""
    Z = sp.Matrix(BATCH, K, lambda s, k: notation.symbol(f"zk_{s}_{k}", f"z_{{{s},{k}}}", real=True))
    T = sp.Matrix(BATCH, K, lambda s, k: notation.symbol(f"t_{s}_{k}", f"t_{{{s},{k}}}", real=True))
    return Z, T


@lru_cache(maxsize=None)
def batch_output_delta():
    """dL/dZ[s, k] = (softmax(Z[s])_k - T[s, k]) / m for L = (1/m) sum_s l_s: a claim per entry."""
    Z, T = batch_logits()
    rows = [opaque_softmax(list(Z.row(s))) for s in range(BATCH)]
    loss = sp.Add(*[cross_entropy(rows[s], list(T.row(s))) for s in range(BATCH)]) / BATCH
    rule = {key: value for s in range(BATCH) for key, value in one_hot_sum(list(T.row(s))).items()}
    return tuple(by_expanding(sp.diff(loss, Z[s, k]).xreplace(rule), ((rows[s][k] - T[s, k]) / BATCH).xreplace(rule))
                 for s in range(BATCH) for k in range(K))


# K = 2

def two_class_softmax_is_sigmoid():
    """softmax(z_0, z_1)_1 = sigma(z_1 - z_0) and softmax(z_0, z_1)_0 = sigma(z_0 - z_1)."""
    y_hat = softmax(z[:2])
    return (by_simplifying(y_hat[1], sigmoid.exp_form(z[1] - z[0])),
            by_simplifying(y_hat[0], sigmoid.exp_form(z[0] - z[1])))


def two_class_cross_entropy_is_bce():
    """With t = (1 - y, y): -sum_k t_k log softmax(z)_k = BCE of sigma(z_1 - z_0) and y."""
    y = t[1]
    bce = -(y * sp.log(sigmoid.exp_form(z[1] - z[0])) + (1 - y) * sp.log(1 - sigmoid.exp_form(z[1] - z[0])))
    two = cross_entropy(softmax(z[:2]), [1 - y, y])
    return by_simplifying(sp.expand_log(two, force=True), sp.expand_log(bce, force=True))


#: Every lemma of this file by name, each a function returning its Claim (for the tests).
LEMMAS = {
    "softmax: the outputs sum to 1": rows_sum_to_one,
    **{f"softmax: shifting every z by c leaves y_hat_{j} unchanged": (lambda j=j: shift_invariance(j))
       for j in range(K)},
    **{f"softmax: dy_hat_{j}/dz_{k} = y_hat_{j} (delta_{j}{k} - y_hat_{k})": (lambda j=j, k=k: jacobian_entry(j, k))
       for j in range(K) for k in range(K)},
    **{f"cross-entropy: the chain rule's sum for z_{k} is y_hat_{k} - t_{k}": (lambda k=k: chain_rule_cancels(k))
       for k in range(K)},
    **{f"cross-entropy: dl/dz_{k} = y_hat_{k} - t_{k} from the exp form": (lambda k=k: gradient_through_softmax(k))
       for k in range(K)},
    "cross-entropy = log sum exp(z - c) + c - sum t z": log_sum_exp_form,
    **{f"batch: dL/dZ[{n // K}, {n % K}] = (Y_hat - T)[{n // K}, {n % K}] / m": (lambda n=n: batch_output_delta()[n])
       for n in range(BATCH * K)},
    "K = 2: y_hat_1 = sigma(z_1 - z_0)": lambda: two_class_softmax_is_sigmoid()[0],
    "K = 2: y_hat_0 = sigma(z_0 - z_1)": lambda: two_class_softmax_is_sigmoid()[1],
    "K = 2: cross-entropy = BCE of sigma(z_1 - z_0)": two_class_cross_entropy_is_bce,
}


# --- the 2-3-3 network --------------------------------------------------------------------------------

def parameters():
    """The 2-3-3 net's parameters in the code's order: W1 row by row, b1, W2, b2 (symbolic_net's)."""
    return symbolic_net.parameters(SIZES, bias=True)


def _weights(sizes):
    W = [None] + [sp.Matrix(sizes[l - 1], sizes[l], lambda i, j: notation.weight(l, i, j)) for l in (1, 2)]
    b = [None] + [sp.Matrix(1, sizes[l], lambda _, j: notation.bias(l, j)) for l in (1, 2)]
    return W, b


@dataclass
class SampleDerivation:
    """One sample s of the 2-3-3 net, element by element (lists are [layer][neuron], in full).

    a[0] = x, a[1] the sigmoid layer, a[2] = y_hat the softmax; t the one-hot label row;
    delta[2][k] = y_hat_k - t_k, delta[1][j] = a_j (1 - a_j) sum_k w^{(2)}_{jk} delta[2][k];
    """

    x: list
    t: list
    a: list
    delta: list
    loss: sp.Expr

    def brute_force(self, parameter):
        """Sympy's dl/dtheta of the full loss, t's last entry put as 1 - the others."""
        return sp.diff(self.loss, parameter.symbol).xreplace(one_hot_sum(self.t))

    def backprop(self, parameter):
        """a^{(l-1)}_i delta^{(l)}_j (delta^{(l)}_j for a bias), in full."""
        above = self.delta[parameter.layer][parameter.column]
        return above if parameter.row is None else self.a[parameter.layer - 1][parameter.row] * above


def _label_row(sample):
    return t if sample is None else [notation.symbol(f"t_{sample}_{k}", f"t_{{{sample},{k}}}", real=True)
                                     for k in range(K)]


@lru_cache(maxsize=None)
def derive_sample(sample=None):
    """The SampleDerivation of one sample (``sample`` s: the batch row X[s], T[s])."""
    W, b = _weights(SIZES)
    x = [notation.input_(i, sample) for i in range(SIZES[0])]
    label = _label_row(sample)
    z1 = [sp.Add(*[x[i] * W[1][i, j] for i in range(SIZES[0])]) + b[1][j] for j in range(SIZES[1])]
    a1 = [sigma(u) for u in z1]
    z2 = [sp.Add(*[a1[j] * W[2][j, k] for j in range(SIZES[1])]) + b[2][k] for k in range(K)]
    y_hat = opaque_softmax(z2)
    loss = cross_entropy(y_hat, label)
    delta2 = [y_hat[k] - label[k] for k in range(K)]
    delta1 = [a1[j] * (1 - a1[j]) * sp.Add(*[W[2][j, k] * delta2[k] for k in range(K)]) for j in range(SIZES[1])]
    return SampleDerivation(x, label, [x, a1, y_hat], [None, delta1, delta2], loss)


@lru_cache(maxsize=None)
def elementwise_claim(parameter):
    """Backprop's a_i delta_j = sympy's brute-force dl/dtheta, for one sample."""
    sample = derive_sample()
    return by_expanding(sample.brute_force(parameter), sample.backprop(parameter).xreplace(one_hot_sum(sample.t)))


@dataclass
class BatchDerivation:
    """The matrix equations for a batch of BATCH samples: X (m, 2), T (m, K) one-hot rows,
    Z1 = X W1 + 1 b1, A1 = sigma(Z1), Z2 = A1 W2 + 1 b2, Y_hat = softmax of each row of Z2,
    Delta2 = (Y_hat - T) / m, Delta1 = (Delta2 W2^T) . A1 . (1 - A1), grad_W[l] = A[l-1]^T Delta[l],
    grad_b[l] = 1^T Delta[l]; loss = (1/m) sum_s l_s."""

    grad_W: list
    grad_b: list
    loss: sp.Expr
    rule: dict
    _claims: dict = field(default_factory=dict)

    def entry(self, parameter):
        return gradient_entry(self.grad_W, self.grad_b, parameter)

    def claims(self, parameter):
        """(matrix entry = mean over the samples of the element-wise a_i delta_j,
            matrix entry = brute-force dL/dtheta of the batch loss)."""
        if parameter.label not in self._claims:
            entry = self.entry(parameter).xreplace(self.rule)
            mean = sp.Add(*[derive_sample(s).backprop(parameter) for s in range(BATCH)]) / BATCH
            self._claims[parameter.label] = (by_expanding(entry, mean.xreplace(self.rule)),
                                             by_expanding(entry, sp.diff(self.loss, parameter.symbol).xreplace(self.rule)))
        return self._claims[parameter.label]


@lru_cache(maxsize=None)
def derive_batch():
    """The BatchDerivation of the 2-3-3 net on explicit matrices of symbols."""
    W, b = _weights(SIZES)
    X = sp.Matrix(BATCH, SIZES[0], lambda s, i: notation.input_(i, s))
    T = sp.Matrix(BATCH, K, lambda s, k: _label_row(s)[k])
    ones = sp.ones(BATCH, 1)
    A1 = (X * W[1] + ones * b[1]).applyfunc(sigma)
    Z2 = A1 * W[2] + ones * b[2]
    Y_hat = sp.Matrix([opaque_softmax(list(Z2.row(s))) for s in range(BATCH)])
    Delta2 = (Y_hat - T) / BATCH
    Delta1 = (Delta2 * W[2].T).multiply_elementwise(A1.applyfunc(lambda a: a * (1 - a)))
    grad_W = [None, X.T * Delta1, A1.T * Delta2]
    grad_b = [None, ones.T * Delta1, ones.T * Delta2]
    loss = sp.Add(*[cross_entropy(list(Y_hat.row(s)), list(T.row(s))) for s in range(BATCH)]) / BATCH
    rule = {key: value for s in range(BATCH) for key, value in one_hot_sum(list(T.row(s))).items()}
    return BatchDerivation(grad_W, grad_b, loss, rule)


# --- the Markdown ---------------------------------------------------------------------------------

def _proved_count(claims):
    claims = list(claims)
    done = sum(claim.proved for claim in claims)
    return f"**proved** ({done} of {len(claims)})" if done == len(claims) else f"**NOT proved** ({done} of {len(claims)})"


def _jacobian_table():
    rows = []
    for j in range(K):
        for k in range(K):
            claim = jacobian_entry(j, k)
            stated = p[j] * (1 - p[k]) if j == k else -p[j] * p[k]
            rows.append([f"${j}$", f"${k}$", render.inline(rf"\hat y_{{{j}}}(\delta_{{{j}{k}}} - \hat y_{{{k}}})"),
                         render.inline(render.tex(stated)), render.verdict(claim)])
    return render.table(["$j$", "$k$", "$\\partial \\hat y_j / \\partial z_k$", "that is", "sympy, from the exp form"],
                        rows)


def _network_table(batch):
    rows = []
    for number, q in enumerate(parameters(), start=1):
        below = "x" if q.layer == 1 else "a^{(1)}"
        backprop = (rf"\delta^{{({q.layer})}}_{{{q.column}}}" if q.row is None
                    else rf"{below}_{{{q.row}}}\,\delta^{{({q.layer})}}_{{{q.column}}}")
        where = "X^T" if q.layer == 1 else "A^{(1)T}"
        entry = (rf"\left(\mathbf 1^T \Delta^{{({q.layer})}}\right)_{{{q.column}}}" if q.row is None
                 else rf"\left({where} \Delta^{{({q.layer})}}\right)_{{{q.row}{q.column}}}")
        mean, brute = batch.claims(q)
        rows.append([str(number), f"`{q.label}`", render.inline(backprop), render.verdict(elementwise_claim(q)),
                     render.inline(entry), render.verdict(mean), render.verdict(brute)])
    return render.table(["#", "parameter", "element-wise", "= brute-force $\\partial\\ell/\\partial\\theta$",
                         "matrix entry", "= mean of element-wise", "= brute-force $\\partial L/\\partial\\theta$"], rows)


def document():
    """The Markdown of 10_softmax.md."""
    y_hat = softmax(z)
    batch = derive_batch()
    params = parameters()
    network_claims = [elementwise_claim(q) for q in params] + [c for q in params for c in batch.claims(q)]
    proved = sum(elementwise_claim(q).proved and all(c.proved for c in batch.claims(q)) for q in params)
    sigmoid_pair = two_class_softmax_is_sigmoid()
    blocks = [
        render.header("Softmax and cross-entropy: K classes", "derivations/softmax.py"),
        f"**Result: sympy proves softmax's Jacobian $\\partial\\hat y_j/\\partial z_k = \\hat y_j(\\delta_{{jk}} - \\hat y_k)$, "
        "the cancellation of cross-entropy's gradient through it to $\\hat y - \\mathrm{onehot}(y)$ "
        "(over a batch, divided by $m$), that for all "
        f"{len(params)} parameters of a 2-3-3 network the element-wise backpropagation, the matrix one "
        f"and the brute-force derivative agree ({proved} of {len(params)} proved), and that with two "
        "classes softmax is the sigmoid of the difference of the two logits.**",
        "With $K \\ge 3$ classes the network has $K$ output neurons, one per class, and turns their "
        "weighted inputs $z_0, \\ldots, z_{K-1}$ (the *logits*) into probabilities with softmax; the "
        "label $y$ is a class index $0, \\ldots, K-1$. The worked examples use $K = 3$.",
        "## 1. Softmax",
        render.display(r"\hat y_j = \operatorname{softmax}(z)_j = \frac{e^{z_j}}{\sum_{k=0}^{K-1} e^{z_k}}, "
                       rf"\qquad \text{{for }} K = 3:\quad \hat y_0 = {render.tex(y_hat[0])}"),
        "Every $e^{z}$ is positive, so every $\\hat y_j$ is in $(0, 1)$, and they add up to 1: "
        f"sympy simplifies $\\hat y_0 + \\hat y_1 + \\hat y_2 - 1$ to {render.inline(render.tex(rows_sum_to_one().residual))}: "
        f"{render.verdict(rows_sum_to_one())}. The predicted class is the largest $\\hat y_j$, "
        "the first one on a tie.",
        "Adding the same number $c$ to every logit multiplies the numerator and the denominator by "
        "$e^{c}$, so nothing changes:",
        render.display(rf"\operatorname{{softmax}}(z - c)_j = \frac{{e^{{z_j - c}}}}{{\sum_k e^{{z_k - c}}}} "
                       rf"= \frac{{e^{{-c}}\,e^{{z_j}}}}{{e^{{-c}}\sum_k e^{{z_k}}}} = \operatorname{{softmax}}(z)_j"),
        f"Sympy, for $j = 0, 1, 2$: {_proved_count(shift_invariance(j) for j in range(K))}. This is why "
        "a trainer may subtract the largest logit before the exp: then every exponent is at most 0, "
        "no $e^{z}$ overflows (double precision overflows above $z \\approx 709$), and the largest "
        "term of the sum is exactly 1, so the sum is never 0.",
        "## 2. The Jacobian",
        "Each $\\hat y_j$ depends on every $z_k$ (through the sum in its denominator), so softmax has a "
        "$K \\times K$ matrix of derivatives. Write $S = \\sum_k e^{z_k}$; then "
        "$\\partial S/\\partial z_k = e^{z_k}$, and the quotient rule gives, factor by factor:",
        render.aligned([
            (r"\frac{\partial \hat y_j}{\partial z_j}",
             r"\frac{e^{z_j}\,S - e^{z_j}\,e^{z_j}}{S^2} = \frac{e^{z_j}}{S} - \frac{e^{z_j}}{S}\,\frac{e^{z_j}}{S} "
             r"= \hat y_j\left(1 - \hat y_j\right)"),
            (r"\frac{\partial \hat y_j}{\partial z_k}",
             r"\frac{0 \cdot S - e^{z_j}\,e^{z_k}}{S^2} = -\frac{e^{z_j}}{S}\,\frac{e^{z_k}}{S} = -\hat y_j\,\hat y_k "
             r"\qquad (k \ne j)"),
        ]),
        "Both in one formula, with the Kronecker delta $\\delta_{jk}$ (1 when $j = k$, else 0):",
        render.display(r"\frac{\partial \hat y_j}{\partial z_k} = \hat y_j\left(\delta_{jk} - \hat y_k\right), "
                       r"\qquad\text{as a matrix: } J = \operatorname{diag}(\hat y) - \hat y^T \hat y"),
        "(the diagonal $\\hat y_j(1 - \\hat y_j)$ is the sigmoid's $\\sigma(1 - \\sigma)$ of "
        "[01_sigmoid.md](01_sigmoid.md)). Sympy differentiates the exp form of each entry, for $K = 3$:",
        _jacobian_table(),
        "## 3. Cross-entropy through softmax: the cancellation",
        "One sample's loss is minus the log of the probability given to its own class. With the label "
        "as a one-hot row, $t = \\mathrm{onehot}(y)$ ($t_y = 1$, every other $t_k = 0$, so "
        "$\\sum_k t_k = 1$):",
        render.display(r"\ell = -\log \hat y_y = -\sum_{k=0}^{K-1} t_k \log \hat y_k"),
        "The chain rule for $z_k$ runs through every output, because every $\\hat y_j$ depends on $z_k$:",
        render.display(r"\frac{\partial \ell}{\partial z_k} = \sum_{j} \frac{\partial \ell}{\partial \hat y_j}\,"
                       r"\frac{\partial \hat y_j}{\partial z_k}"),
        "Factor by factor: $\\partial \\ell/\\partial \\hat y_j = -t_j/\\hat y_j$, and the Jacobian of section 2. "
        "The $\\hat y_j$ of the Jacobian cancels the $\\hat y_j$ in the denominator:",
        render.aligned([
            (r"\frac{\partial \ell}{\partial z_k}",
             r"\sum_j \left(-\frac{t_j}{\hat y_j}\right) \hat y_j\left(\delta_{jk} - \hat y_k\right) "
             r"= -\sum_j t_j\,\delta_{jk} + \hat y_k \sum_j t_j"),
            ("", r"-t_k + \hat y_k \cdot 1 = \hat y_k - t_k"),
        ]),
        f"For $k = 0$ sympy expands the sum to {render.inline(render.tex(sp.expand(chain_rule_sum(0))))}, "
        "and with $t_2 = 1 - t_0 - t_1$ each of the three to $\\hat y_k - t_k$: "
        f"{_proved_count(chain_rule_cancels(k) for k in range(K))}. From the exp form, differentiating "
        "$-\\sum_j t_j \\log \\operatorname{softmax}(z)_j$ by each $z_k$ directly: "
        f"{_proved_count(gradient_through_softmax(k) for k in range(K))}. So",
        render.display(r"\delta^{\mathrm{out}} = \frac{\partial \ell}{\partial z} = \hat y - \mathrm{onehot}(y)"),
        "the same form as binary cross-entropy's $\\hat y - y$ through a sigmoid "
        "([07_losses.md](07_losses.md)): no factor of the Jacobian is left, so a confident wrong "
        "output still gets the full error. The true class's output is pushed up by $1 - \\hat y_y$, every "
        "other output down by its own $\\hat y_k$.",
        "A finite form of the loss: $\\log \\hat y_y = z_y - \\log S$, and with the largest logit $c$ "
        "taken out of $S$,",
        render.display(r"\ell = \log \sum_k e^{z_k - c} + c - \sum_k t_k z_k = \log \sum_k e^{z_k - c} + c - z_y"),
        f"Sympy (with $\\sum_k t_k = 1$): {render.verdict(log_sum_exp_form())}. The sum is at least 1, so "
        "its log is finite even when $\\hat y_y$ itself would underflow to 0.",
        "## 4. A batch of m samples",
        "The batch loss is the mean, $L = \\frac1m \\sum_s \\ell_s$, and $z[s, k]$ appears only in sample "
        "$s$'s term, so each row of the output delta is divided by $m$:",
        render.display(r"\Delta^{\mathrm{out}}_{sk} = \frac{\partial L}{\partial z_{s,k}} = "
                       r"\frac{1}{m}\left(\hat Y_{sk} - T_{sk}\right), \qquad "
                       r"\Delta^{\mathrm{out}} = \frac{1}{m}\left(\hat Y - T\right)"),
        f"with $T$ the $m \\times K$ matrix of one-hot rows. Sympy, for $m = {BATCH}$ and every entry: "
        f"{_proved_count(batch_output_delta())}.",
        "## 5. The 2-3-3 network, element by element and as matrices",
        "Two inputs, one hidden layer of 3 sigmoid neurons, 3 softmax outputs, with biases: "
        f"$(2 \\cdot 3 + 3) + (3 \\cdot 3 + 3) = {len(params)}$ parameters. Forward, for one sample:",
        render.aligned([
            (r"z^{(1)}_j", r"x_0 w^{(1)}_{0j} + x_1 w^{(1)}_{1j} + b^{(1)}_j, \qquad a^{(1)}_j = \sigma\left(z^{(1)}_j\right)"),
            (r"z^{(2)}_k", r"a^{(1)}_0 w^{(2)}_{0k} + a^{(1)}_1 w^{(2)}_{1k} + a^{(1)}_2 w^{(2)}_{2k} + b^{(2)}_k, "
                           r"\qquad \hat y = \operatorname{softmax}\left(z^{(2)}\right)"),
        ]),
        "Backward: the output delta of section 3, then the hidden layer as in the lab's net, except "
        "that neuron $j$ now feeds $K = 3$ outputs, so its sum has three terms:",
        render.aligned([
            (r"\delta^{(2)}_k", r"\hat y_k - t_k"),
            (r"\delta^{(1)}_j", r"a^{(1)}_j\left(1 - a^{(1)}_j\right)\left(w^{(2)}_{j0}\,\delta^{(2)}_0 "
                                r"+ w^{(2)}_{j1}\,\delta^{(2)}_1 + w^{(2)}_{j2}\,\delta^{(2)}_2\right)"),
            (r"\frac{\partial \ell}{\partial w^{(l)}_{ij}}", r"a^{(l-1)}_i\,\delta^{(l)}_j, \qquad "
                                                            r"\frac{\partial \ell}{\partial b^{(l)}_j} = \delta^{(l)}_j"),
        ]),
        "Why $\\delta^{(1)}_j$ has one term per output and not one per path: $w^{(1)}_{00}$ reaches $\\ell$ "
        "along $3 \\times 3$ paths, $z^{(1)}_0 \\to a^{(1)}_0 \\to z^{(2)}_k \\to \\hat y_j \\to \\ell$; "
        "summed over $j$ first, the last two links of the paths through $z^{(2)}_k$ are "
        "$\\sum_j \\frac{\\partial \\ell}{\\partial \\hat y_j}\\frac{\\partial \\hat y_j}{\\partial z^{(2)}_k} "
        "= \\delta^{(2)}_k$, the sum of section 3, computed once.",
        "As matrices, for a batch ($X$ is $m \\times 2$, $T$ is $m \\times 3$, softmax acts on each row, "
        "$\\odot$ multiplies entry by entry; the shapes of [04_matrix_form.md](04_matrix_form.md)):",
        render.aligned([
            (r"\underbrace{Z^{(1)}}_{m \times 3}", r"X W_1 + \mathbf 1_m b_1, \qquad A^{(1)} = \sigma\left(Z^{(1)}\right)"),
            (r"\underbrace{\hat Y}_{m \times 3}", r"\operatorname{softmax}\left(A^{(1)} W_2 + \mathbf 1_m b_2\right)"),
            (r"\underbrace{\Delta^{(2)}}_{m \times 3}", r"\frac{1}{m}\left(\hat Y - T\right), \qquad "
                                                       r"\underbrace{\Delta^{(1)}}_{m \times 3} = \left(\Delta^{(2)} W_2^T\right)"
                                                       r" \odot A^{(1)} \odot \left(1 - A^{(1)}\right)"),
            (r"\frac{\partial L}{\partial W_2}", r"A^{(1)T} \Delta^{(2)}, \quad \frac{\partial L}{\partial b_2} = "
                                                r"\mathbf 1_m^T \Delta^{(2)}, \quad \frac{\partial L}{\partial W_1} = "
                                                r"X^T \Delta^{(1)}, \quad \frac{\partial L}{\partial b_1} = \mathbf 1_m^T \Delta^{(1)}"),
        ]),
        "Sympy builds both from symbols (for the matrices, explicit $2 \\times \\ldots$ matrices of "
        "symbols, $m = 2$) and checks every parameter three ways, each by expanding the difference "
        "to exactly 0: the element-wise $a_i\\delta_j$ against its brute-force derivative of $\\ell$; "
        "the matrix entry against the mean over the two samples of the element-wise gradients; and the "
        "matrix entry against the brute-force derivative of the batch loss $L$. $\\sigma$ is opaque "
        "as in the other files, and so is softmax: its derivative is *defined* to be the Jacobian "
        "proved in section 2, and nothing else about backpropagation is given to sympy. The label row "
        "is symbols with $t_2 = 1 - t_0 - t_1$, so one proof covers all three labels. "
        f"Result: {_proved_count(network_claims)}.",
        "<details>\n<summary>The " + f"{len(params)} parameters, three proofs each</summary>",
        _network_table(batch),
        "</details>",
        "## 6. Two classes: softmax is the sigmoid of the difference",
        "With $K = 2$, divide the numerator and the denominator by $e^{z_1}$:",
        render.display(r"\hat y_1 = \frac{e^{z_1}}{e^{z_0} + e^{z_1}} = \frac{1}{1 + e^{-(z_1 - z_0)}} "
                       r"= \sigma\left(z_1 - z_0\right), \qquad \hat y_0 = \sigma\left(z_0 - z_1\right) = 1 - \hat y_1"),
        f"Sympy: $\\hat y_1$ {render.verdict(sigmoid_pair[0])}, $\\hat y_0$ {render.verdict(sigmoid_pair[1])}. "
        "And with $t = (1 - y, y)$, the two-class cross-entropy is binary cross-entropy of that sigmoid:",
        render.display(r"-(1 - y)\log \hat y_0 - y \log \hat y_1 = "
                       r"-\left[y \log \sigma(z_1 - z_0) + (1 - y)\log\left(1 - \sigma(z_1 - z_0)\right)\right]"),
        f"Sympy: {render.verdict(two_class_cross_entropy_is_bce())}. Only the difference $z_1 - z_0$ "
        "matters (section 1: adding $c$ to both changes nothing), so two softmax outputs have twice "
        "the output weights of one sigmoid output and describe the same predictions. That is why the "
        "lab keeps one sigmoid output, with binary cross-entropy and $\\delta = \\hat y - y$, for two "
        "classes, and uses softmax from $K = 3$ on.",
    ]
    return render.page(blocks)
