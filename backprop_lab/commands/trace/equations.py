"""What ``backprop-lab trace`` says, in order, independent of how it is typeset.

``blocks(step, notation)`` turns a traced Step into headings, lines of text, equations and
matrices.  The notation (plain text for the terminal, LaTeX for Markdown) spells the symbols and
numbers; the renderers in trace_text.py and trace_markdown.py lay the blocks out.

Every value an equation ends in is the trainers' own number.  Where an equation shows the
operands it was computed from, the value is recomputed here from those operands in the order of
backprop_lab.conventions and must reproduce the trainers' bits (else trace.Mismatch): the printed
arithmetic is the arithmetic the trainers did.
"""

import math
from dataclasses import dataclass, field

import numpy as np

from backprop_lab import options
from backprop_lab.commands.trace.step import Mismatch, same_bits
from backprop_lab.formatting import point_written
from backprop_lab.network import by_layer
from scalar_net.activations import derivative as trainer_derivative

#: Neurons per layer (and terms per sum) printed in full; wider layers show HEAD first and TAIL last.
FULL, HEAD, TAIL = 8, 3, 1

#: The derivation files (derivations/generated/) with the general formula of each step:
#: (file, section heading).
FORWARD = ("02_elementwise_2-4-4-1.md", "1. Forward pass, neuron by neuron")
NO_BIAS = "03_elementwise_no_bias.md"  # the same sections, for the bias-free network
LOSSES = ("07_losses.md", "One sample and a batch")
MSE_DELTA = ("07_losses.md", "Mean squared error")
HALF_MSE_DELTA = ("07_losses.md", "Half mean squared error")
BCE_DELTA = ("07_losses.md", "Binary cross-entropy: the cancellation")
RECURRENCE = ("02_elementwise_2-4-4-1.md", "5. Backpropagation: the recurrence")
SIGMOID = ("01_sigmoid.md", None)
ACTIVATIONS = ("06_activations.md", "Summary")
MATRIX = ("04_matrix_form.md", "The batch equations")
TO_NEURONS = ("04_matrix_form.md", "From the matrices back to the neurons")
MOMENTUM = ("09_momentum.md", None)
SOFTMAX = ("10_softmax.md", "1. Softmax")  # K >= 3 classes: the softmax outputs and cross-entropy
CROSS_ENTROPY = ("10_softmax.md", "3. Cross-entropy through softmax: the cancellation")
SOFTMAX_BATCH = ("10_softmax.md", "4. A batch of m samples")
SOFTMAX_NET = ("10_softmax.md", "5. The 2-3-3 network, element by element and as matrices")


@dataclass
class Heading:
    title: str
    links: list = field(default_factory=list)  # (derivation file, section heading or None)


@dataclass
class Text:
    text: str


@dataclass
class Equation:
    """``lhs relation chain[0] = chain[1] = ... = chain[-1]``; each link is a list of pieces the
    typesetter may break a line between (a sum's terms)."""

    lhs: str
    chain: list
    relation: str = "="


@dataclass
class Matrix:
    name: str        # e.g. "Z1"
    formula: str     # e.g. "A0·W1 + b1" (empty: the matrix is given)
    values: np.ndarray
    holds: str       # which element-wise numbers it holds


def shown(n):
    """Indices of a layer of n neurons that are printed, and how many are elided."""
    if n <= FULL:
        return list(range(n)), 0
    return list(range(HEAD)) + list(range(n - TAIL, n)), n - HEAD - TAIL


def shown_rows(n):
    """Rows of a matrix that are printed: a batch's up to 10 samples all; a weight matrix's like a layer."""
    return (list(range(n)), 0) if n <= 10 else shown(n)


def elided_terms(pieces, notation):
    """A sum's terms, its middle elided (and counted) when it has more than FULL + 1 terms."""
    if len(pieces) <= FULL + 1:
        return pieces
    return pieces[:HEAD] + [notation.more(len(pieces) - HEAD - 2)] + pieces[-2:]


def _plus(pieces, notation):
    return [p if k == 0 else f"{notation.plus} {p}" for k, p in enumerate(pieces)]


class Builder:
    """Collects the blocks of one step; ``n`` is the notation (trace_text.Plain or trace_markdown.Latex)."""

    def __init__(self, step, n):
        self.step, self.n, self.out = step, n, []
        config = step.config
        self.L = len(step.sizes) - 1
        self.activation = options.code(config.activation, options.ACTIVATIONS)
        self.m = step.X.shape[0]
        self.K = step.sizes[-1]
        self.softmax = self.K > 1  # K >= 3 classes: K softmax outputs and cross-entropy
        self.t = step.elementwise
        self.W, self.b = by_layer(step.params)  # W[l] = W_l, b[l] = b_l
        self.new_W, self.new_b = by_layer(step.new_params)
        if step.velocities is not None:
            self.velocity_W, self.velocity_b = by_layer(step.velocities)

    def add(self, block):
        if isinstance(block, Heading) and not self.step.bias:  # the bias-free net has its own derivation
            block.links = [(NO_BIAS if name == FORWARD[0] else name, section) for name, section in block.links]
        self.out.append(block)

    def kind(self, l):
        return self.step.config.activation if l < self.L else "softmax" if self.softmax else "sigmoid"

    # -- symbols: a(0, i) is the input x_i, a(L, 0) is y_hat (a(L, j) y_hat_j of K softmax outputs)
    def a(self, l, i):
        n = self.n
        if l == self.L:
            return n.yhat_of(i) if self.softmax else n.yhat
        return n.x(i) if l == 0 else n.a(l, i)

    def num(self, value):
        return self.n.num(float(value))

    def factor(self, value):
        return self.n.factor(float(value))

    def layer_note(self, l):
        size = self.step.sizes[l]
        _, hidden = shown(size)
        what = ("output, softmax" if self.softmax else "output") if l == self.L else f"hidden, {self.kind(l)}"
        note = f"layer {l} ({what}, {size} neuron{'s' if size > 1 else ''})"
        if hidden:
            note += f"; neurons {HEAD} to {size - TAIL - 1} ({hidden} of them) elided, they follow the same formula"
        return note

    # -- 1. forward
    def forward(self):
        n = self.n
        self.add(Heading("1. Forward pass, neuron by neuron", [FORWARD] + ([SOFTMAX] if self.softmax else [])))
        bias = f" + {n.b('l', 'j')}" if self.step.bias else ""
        self.add(Text(f"each neuron sums its inputs times their weights in increasing i"
                      f"{', adds its bias' if self.step.bias else ''}, then applies its activation g: "
                      + n.inline(f"{n.z('l', 'j')} = {n.sum_i()} {n.a('l-1', 'i')}{n.times}{n.w('l', 'i', 'j')}{bias}, "
                                 f"{n.a('l', 'j')} = g({n.z('l', 'j')})")))
        for s in range(self.m):
            if self.m > 1:
                self.add(Text(self.sample_line(s)))
            for l in range(1, self.L + 1):
                self.add(Text(self.layer_note(l)))
                for j in shown(self.step.sizes[l])[0]:
                    self.neuron_forward(s, l, j)
            if self.softmax:
                self.softmax_forward(s)

    def sample_line(self, s):
        n, X, Y = self.n, self.step.X, self.step.Y
        return f"{self.step.labels[s]}: " + n.inline(point_written(X[s], self.num, n.x) + f", {n.y} = {self.num(Y[s, 0])}")

    def neuron_forward(self, s, l, j):
        n, t = self.n, self.t
        fan_in = self.step.sizes[l - 1]
        W = self.W[l]
        symbols = [f"{self.a(l - 1, i)}{n.times}{n.w(l, i, j)}" for i in range(fan_in)]
        numbers = [f"{self.factor(t.A[l - 1][s, i])}{n.times}{self.factor(W[i, j])}" for i in range(fan_in)]
        total = 0.0
        for i in range(fan_in):
            total += float(t.A[l - 1][s, i]) * float(W[i, j])
        if self.bias_of(l) is not None:
            symbols.append(n.b(l, j))
            numbers.append(self.factor(self.bias_of(l)[j]))
            total += float(self.bias_of(l)[j])
        self.recomputed(f"z{l}[{j}]", total, t.Z[l][s, j])
        self.add(Equation(n.z(l, j), [_plus(elided_terms(symbols, n), n), _plus(elided_terms(numbers, n), n),
                                      [self.num(t.Z[l][s, j])]]))
        if l == self.L and self.softmax:  # the outputs come from all K z's at once: softmax_forward
            return
        g = n.activation(self.kind(l))
        chain = [[g(n.z(l, j))], [g(self.num(t.Z[l][s, j]))], [self.num(t.A[l][s, j])]]
        if self.kind(l) == "identity":  # a = z: nothing to compute
            chain = [chain[0], chain[2]]
        self.add(Equation(self.a(l, j), chain))

    def softmax_parts(self, s):
        """(max_j z_L[j], [e_j = e^(z_L[j] - max)], their sum in increasing j) of sample s, as the
        trainers compute them (backprop_lab.conventions): the trace prints each one."""
        z = [float(v) for v in self.t.Z[self.L][s]]
        top = z[0]
        for value in z[1:]:
            if value > top:
                top = value
        e = [math.exp(value - top) for value in z]
        total = 0.0
        for value in e:
            total += value
        return top, e, total

    def softmax_forward(self, s):
        """The K outputs of sample s: the largest z subtracted, each exp, their sum, each quotient."""
        n, t, L, K = self.n, self.t, self.L, self.K
        top, e, total = self.softmax_parts(s)
        z = self.t.Z[L][s]
        js = shown(K)[0]
        exponent = f"{n.z(L, 'j')} {n.minus} {n.top}"
        self.add(Text("softmax: " + n.inline(f"{self.a(L, 'j')} = {n.e('j')} / {n.esum}") + " with "
                      + n.inline(f"{n.e('j')} = {n.exp(exponent)}")
                      + ": the largest z is subtracted first, so that no exp overflows (each "
                      + n.inline(f"{n.e('j')} {n.le} 1") + "), and the sum runs over k in increasing order"))
        commas = lambda pieces: [p if k == len(pieces) - 1 else f"{p}," for k, p in enumerate(pieces)]  # noqa: E731
        self.add(Equation(n.top, [[f"{n.max}("] + commas(elided_terms([n.z(L, j) for j in range(K)], n)) + [")"],
                                  [f"{n.max}("] + commas(elided_terms([self.num(v) for v in z], n)) + [")"],
                                  [self.num(top)]]))
        for j in js:
            self.add(Equation(n.e(j), [[n.exp(f"{n.z(L, j)} {n.minus} {n.top}")],
                                       [n.exp(f"{self.num(z[j])} {n.minus} {self.factor(top)}")],
                                       [n.exp(self.num(float(z[j]) - top))], [self.num(e[j])]]))
        self.add(Equation(n.esum, [_plus(elided_terms([n.e(k) for k in range(K)], n), n),
                                   _plus(elided_terms([self.num(v) for v in e], n), n), [self.num(total)]]))
        for j in range(K):  # every output, the elided ones too
            self.recomputed(f"a{L}[{j}]", e[j] / total, t.A[L][s, j])
        for j in js:
            self.add(Equation(self.a(L, j), [[f"{n.e(j)} / {n.esum}"], [f"{self.num(e[j])} / {self.num(total)}"],
                                             [self.num(t.A[L][s, j])]]))

    def bias_of(self, l):
        return self.b[l]

    def recomputed(self, name, value, trainers):
        """The value recomputed from the printed operands must be the trainers' own, bit for bit."""
        try:
            same_bits(name, "the printed equation", "the trainers", value, trainers)
        except Mismatch as error:
            raise Mismatch(f"{error}: the trace cannot print this equation as computed") from None

    # -- 2. loss
    def loss(self):
        n, t, m, config = self.n, self.t, self.m, self.step.config
        L = self.L
        if config.loss == "mse":
            self.add(Heading("2. The loss: mean squared error over the batch", [LOSSES, MSE_DELTA]))
            self.add(Text("L is 1/m times the sum over the batch's m samples of each one's "
                          + n.inline(f"{n.ell} = ({n.yhat} {n.minus} {n.y}){n.squared}") + f"; here m = {m}"))
        elif config.loss == "half-mse":
            self.add(Heading("2. The loss: half the mean squared error over the batch", [LOSSES, HALF_MSE_DELTA]))
            self.add(Text("L is 1/m times the sum over the batch's m samples of each one's "
                          + n.inline(f"{n.ell} = (1/2){n.times}({n.yhat} {n.minus} {n.y}){n.squared}")
                          + f" (the 1/2 of Nielsen's convention, in each sample's term); here m = {m}"))
        elif self.softmax:
            self.add(Heading("2. The loss: cross-entropy over the batch", [LOSSES, CROSS_ENTROPY]))
            self.add(Text("L is 1/m times the sum over the batch's m samples of each one's "
                          + n.inline(f"{n.ell} = {n.minus}{n.log} {self.a(L, n.y)}") + ", minus the log of the "
                          "probability given to the sample's own class y, computed from section 1's numbers as "
                          + n.inline(f"{n.log1p}({n.esum} {n.minus} 1) {n.minus} ({n.z(L, n.y)} {n.minus} {n.top})")
                          + f" (the log of the sum, which is at least 1: finite even where {n.inline(self.a(L, n.y))} "
                          f"rounds to 0); here m = {m}"))
        else:
            self.add(Heading("2. The loss: binary cross-entropy over the batch", [LOSSES, BCE_DELTA]))
            self.add(Text("L is 1/m times the sum over the batch's m samples of each one's "
                          + n.inline(f"{n.ell} = {n.minus}[{n.y} {n.log} {n.yhat} + (1 {n.minus} {n.y}) "
                                     f"{n.log}(1 {n.minus} {n.yhat})]")
                          + ", computed from the output's " + n.inline(n.z(L, 0)) + " as "
                          + n.inline(f"{n.softplus}({n.z(L, 0)}) {n.minus} {n.y}{n.times}{n.z(L, 0)}")
                          + f" so that it stays finite; here m = {m}"))
        for s in range(m):
            y_hat, y, z = float(t.A[L][s, 0]), float(self.step.Y[s, 0]), float(t.Z[L][s, 0])
            lhs = n.ell_of(self.step.labels[s]) if m > 1 else n.ell
            if self.softmax:
                self.add(Equation(lhs, self.cross_entropy(s)))
                continue
            if config.loss == "mse":
                e = y_hat - y
                self.recomputed(f"loss of {self.step.labels[s]}", e * e, t.losses[s])
                chain = [[f"({n.yhat} {n.minus} {n.y}){n.squared}"],
                         [f"({self.num(y_hat)} {n.minus} {self.num(y)}){n.squared}"], [self.num(t.losses[s])]]
            elif config.loss == "half-mse":
                e = y_hat - y
                self.recomputed(f"loss of {self.step.labels[s]}", 0.5 * (e * e), t.losses[s])
                chain = [[f"(1/2){n.times}({n.yhat} {n.minus} {n.y}){n.squared}"],
                         [f"(1/2){n.times}({self.num(y_hat)} {n.minus} {self.num(y)}){n.squared}"],
                         [self.num(t.losses[s])]]
            else:
                value = max(z, 0.0) - y * z + math.log1p(math.exp(-abs(z)))
                self.recomputed(f"loss of {self.step.labels[s]}", value, t.losses[s])
                chain = [[f"{n.max}({n.z(L, 0)}, 0) {n.minus} {n.y}{n.times}{n.z(L, 0)} + "
                          f"{n.log}(1 + {n.exp(f'{n.minus}|{n.z(L, 0)}|')})"],
                         [f"{n.max}({self.num(z)}, 0) {n.minus} {self.factor(y)}{n.times}{self.factor(z)} + "
                          f"{n.log}(1 + {n.exp(f'{n.minus}{self.num(abs(z))}')})"], [self.num(t.losses[s])]]
            self.add(Equation(lhs, chain))
        total = 0.0
        for s in range(m):
            total += float(t.losses[s])
        self.recomputed("L", total / m, t.loss)
        terms = _plus([self.num(v) for v in t.losses], n)
        self.add(Equation("L", [[f"(1/{m}){n.times}("] + terms + [")"], [self.num(t.loss)]]))

    def cross_entropy(self, s):
        """The chain of sample s's loss term -log y_hat[y], checked against the trainers' bits."""
        n, L = self.n, self.L
        top, _, total = self.softmax_parts(s)
        c = int(self.step.Y[s, 0])
        z = float(self.t.Z[L][s, c])
        self.recomputed(f"loss of {self.step.labels[s]}", math.log1p(total - 1.0) - (z - top), self.t.losses[s])
        return [[f"{n.minus}{n.log} {self.a(L, c)}"],
                [f"{n.log1p}({n.esum} {n.minus} 1) {n.minus} ({n.z(L, c)} {n.minus} {n.top})"],
                [f"{n.log1p}({self.num(total)} {n.minus} 1) {n.minus} ({self.num(z)} {n.minus} {self.factor(top)})"],
                [self.num(self.t.losses[s])]]

    # -- 3. backward
    def backward(self):
        n, t, L, m = self.n, self.t, self.L, self.m
        derivative = SIGMOID if self.step.config.activation == "sigmoid" else ACTIVATIONS
        self.add(Heading("3. Backward pass: each neuron's delta, from the output down",
                         [self.delta_link(), RECURRENCE, derivative]))
        self.add(Text(n.inline(f"{n.delta('l', 'j')} = {n.partial('L', n.z('l', 'j'))}")
                      + ": how much the loss changes with the neuron's weighted input (the batch's 1/m is part of it)"))
        for s in range(m):
            if m > 1:
                self.add(Text(self.sample_line(s)))
            self.output_delta(s)
            for l in range(L - 1, 0, -1):
                self.add(Text(self.layer_note(l) + ": " + n.inline(
                    f"{n.delta(l, 'i')} = g'({n.z(l, 'i')}){n.times}{n.sum_j()} {n.w(l + 1, 'i', 'j')}{n.times}"
                    f"{n.delta(l + 1, 'j')}")))
                for i in shown(self.step.sizes[l])[0]:
                    self.hidden_delta(s, l, i)

    def delta_link(self):
        """The derivation of the output delta of the step's loss."""
        if self.softmax:
            return CROSS_ENTROPY
        return {"mse": MSE_DELTA, "half-mse": HALF_MSE_DELTA}.get(self.step.config.loss, BCE_DELTA)

    def output_delta(self, s):
        if self.softmax:
            self.softmax_delta(s)
            return
        n, t, L, m = self.n, self.t, self.L, self.m
        y_hat, y = float(t.A[L][s, 0]), float(self.step.Y[s, 0])
        if self.step.config.loss in ("mse", "half-mse"):
            half = self.step.config.loss == "half-mse"
            k = 1 if half else 2  # dL/dy_hat = (k/m)(y_hat - y): half-MSE's 1/2 cancels the square's 2
            scale, error, slope = float(k) / m, y_hat - y, y_hat * (1.0 - y_hat)
            self.recomputed(f"delta{L}[0]", scale * error * slope, t.Delta[L][s, 0])
            chain = [[f"({k}/m){n.times}({n.yhat} {n.minus} {n.y}){n.times}{n.yhat}{n.times}(1 {n.minus} {n.yhat})"],
                     [f"({k}/{m}){n.times}({self.num(y_hat)} {n.minus} {self.num(y)}){n.times}{self.factor(y_hat)}"
                      f"{n.times}(1 {n.minus} {self.num(y_hat)})"],
                     [f"{self.factor(scale)}{n.times}{self.factor(error)}{n.times}{self.factor(slope)}"],
                     [self.num(t.Delta[L][s, 0])]]
            why = ("output (sigmoid): " + n.inline(f"{n.delta(L, 0)} = {n.partial('L', n.yhat)}{n.times}"
                                                   f"{n.yhat}(1 {n.minus} {n.yhat})")
                   + " with " + n.inline(f"{n.partial('L', n.yhat)} = ({k}/m)({n.yhat} {n.minus} {n.y})")
                   + (": the loss's 1/2 cancels the square's 2" if half else ""))
        else:
            scale, error = 1.0 / m, y_hat - y
            self.recomputed(f"delta{L}[0]", scale * error, t.Delta[L][s, 0])
            chain = [[f"(1/m){n.times}({n.yhat} {n.minus} {n.y})"],
                     [f"(1/{m}){n.times}({self.num(y_hat)} {n.minus} {self.num(y)})"],
                     [f"{self.factor(scale)}{n.times}{self.factor(error)}"], [self.num(t.Delta[L][s, 0])]]
            why = ("output (sigmoid with cross-entropy): the sigmoid's derivative cancels the loss's denominator, so "
                   + n.inline(f"{n.delta(L, 0)} = (1/m)({n.yhat} {n.minus} {n.y})"))
        self.add(Text(why))
        self.add(Equation(n.delta(L, 0), chain))

    def softmax_delta(self, s):
        """Each output's delta (1/m)(y_hat_j - [j = y]) for sample s of class y."""
        n, t, L, m = self.n, self.t, self.L, self.m
        c = int(self.step.Y[s, 0])
        one = f"[j = {n.y}]"
        self.add(Text(self.layer_note(L) + ", with cross-entropy: softmax's Jacobian cancels the log's "
                      + n.inline(f"1/{self.a(L, n.y)}") + ", so " + n.inline(
                          f"{n.delta(L, 'j')} = (1/m)({self.a(L, 'j')} {n.minus} {one})")
                      + f", where {n.inline(one)} is 1 for the sample's class y = {c} and 0 for the others"))
        for j in shown(self.K)[0]:
            y_hat, target = float(t.A[L][s, j]), 1.0 if j == c else 0.0
            scale, error = 1.0 / m, y_hat - target
            self.recomputed(f"delta{L}[{j}]", scale * error, t.Delta[L][s, j])
            self.add(Equation(n.delta(L, j), [
                [f"(1/m){n.times}({self.a(L, j)} {n.minus} [{j} = {c}])"],
                [f"(1/{m}){n.times}({self.num(y_hat)} {n.minus} {target:g})"],
                [f"{self.factor(scale)}{n.times}{self.factor(error)}"], [self.num(t.Delta[L][s, j])]]))

    def hidden_delta(self, s, l, i):
        n, t = self.n, self.t
        above = self.step.sizes[l + 1]
        W = self.W[l + 1]
        back = 0.0
        for j in range(above):
            back += float(W[i, j]) * float(t.Delta[l + 1][s, j])
        z, a = float(t.Z[l][s, i]), float(t.A[l][s, i])
        slope = trainer_derivative(self.activation, z, a, float(self.step.config.leaky_slope))
        self.recomputed(f"delta{l}[{i}]", back * slope, t.Delta[l][s, i])
        symbols = [f"{n.w(l + 1, i, j)}{n.times}{n.delta(l + 1, j)}" for j in range(above)]
        numbers = [f"{self.factor(W[i, j])}{n.times}{self.factor(t.Delta[l + 1][s, j])}" for j in range(above)]
        dg_symbol, dg_numbers = n.derivative(self.step.config.activation, n.z(l, i), n.a(l, i),
                                             self.num(z), self.num(a))
        self.add(Equation(n.delta(l, i), [
            [f"{dg_symbol}{n.times}("] + _plus(elided_terms(symbols, n), n) + [")"],
            [f"{dg_numbers}{n.times}("] + _plus(elided_terms(numbers, n), n) + [")"],
            [f"{self.factor(slope)}{n.times}{self.factor(back)}"],
            [self.num(t.Delta[l][s, i])]]))

    # -- 4. gradients and the update
    def gradients(self):
        n, t, m, lr = self.n, self.t, self.m, self.step.config.lr
        sum_s = f"{n.sum_s()} " if m > 1 else ""
        config = self.step.config
        if config.optimizer == "momentum":
            taken = "(1 − β)·∂L/∂w" if config.momentum_form == "average" else "∂L/∂w"
            rule = f"v ← β·v + {taken} from v = 0, w ← w − lr·v, β = {self.num(config.momentum)}, "
            links = [RECURRENCE, TO_NEURONS, MOMENTUM]
        else:
            rule, links = "w ← w − lr·∂L/∂w, ", [RECURRENCE, TO_NEURONS]
        self.add(Heading(f"4. Gradients{' (summed over the batch)' if m > 1 else ''} and the update "
                         f"{rule}lr = {self.num(lr)}", links))
        for l in range(1, self.L + 1):
            fan_in, fan_out = self.step.sizes[l - 1], self.step.sizes[l]
            grads = t.grads[(l - 1) * (2 if self.step.bias else 1)]
            rows, hidden_rows = shown(fan_in)
            cols, hidden_cols = shown(fan_out)
            note = (f"layer {l} weights ({fan_in}×{fan_out}): "
                    + n.inline(f"{n.partial('L', n.w(l, 'i', 'j'))} = {sum_s}{self.a(l - 1, 'i')}{n.times}"
                               f"{n.delta(l, 'j')}"))
            if hidden_rows or hidden_cols:
                note += f" ({fan_in * fan_out - len(rows) * len(cols)} of them elided)"
            self.add(Text(note))
            for i in rows:
                for j in cols:
                    total = 0.0
                    for s in range(m):
                        total += float(t.A[l - 1][s, i]) * float(t.Delta[l][s, j])
                    self.recomputed(f"dL/dW{l}[{i}, {j}]", total, grads[i, j])
                    products = [f"{self.factor(t.A[l - 1][s, i])}{n.times}{self.factor(t.Delta[l][s, j])}"
                                for s in range(m)]
                    self.add(Equation(n.partial("L", n.w(l, i, j)), [
                        [f"{sum_s}{self.a(l - 1, i)}{n.times}{n.delta(l, j)}"], _plus(products, n),
                        [self.num(grads[i, j])]]))
                    self.update(n.w(l, i, j), self.W[l][i, j], grads[i, j], self.new_W[l][i, j],
                                None if self.step.velocities is None else self.velocity_W[l][i, j])
            if self.step.bias:
                gb = t.grads[2 * (l - 1) + 1]
                self.add(Text(f"layer {l} biases: " + n.inline(f"{n.partial('L', n.b(l, 'j'))} = {sum_s}{n.delta(l, 'j')}")))
                for j in cols:
                    total = 0.0
                    for s in range(m):
                        total += float(t.Delta[l][s, j])
                    self.recomputed(f"dL/db{l}[{j}]", total, gb[j])
                    chain = [[f"{sum_s}{n.delta(l, j)}"]]
                    if m > 1:
                        chain.append(_plus([self.num(t.Delta[l][s, j]) for s in range(m)], n))
                    chain.append([self.num(gb[j])])
                    self.add(Equation(n.partial('L', n.b(l, j)), chain))
                    self.update(n.b(l, j), self.b[l][j], gb[j], self.new_b[l][j],
                                None if self.step.velocities is None else self.velocity_b[l][j])

    def update(self, symbol, old, grad, new, velocity=None):
        """The parameter's update; with momentum (``velocity``, the trainers' v after the step) its
        velocity's first step from v = 0 first, then w - lr v."""
        n, lr = self.n, self.step.config.lr
        if velocity is None:
            self.recomputed(f"new {symbol}", float(old) - lr * float(grad), new)
            self.add(Equation(symbol, [[f"{symbol} {n.minus} lr{n.times}{n.partial('L', symbol)}"],
                                       [f"{self.num(old)} {n.minus} {self.factor(lr)}{n.times}{self.factor(grad)}"],
                                       [self.num(new)]], relation=n.gets))
            return
        beta, v = self.step.config.momentum, n.velocity(symbol)
        if self.step.config.momentum_form == "average":
            value = beta * 0.0 + (1.0 - beta) * float(grad)
            chain = [[f"{n.beta}{n.times}{v} + (1 {n.minus} {n.beta}){n.times}{n.partial('L', symbol)}"],
                     [f"{self.factor(beta)}{n.times}0 + (1 {n.minus} {self.num(beta)}){n.times}{self.factor(grad)}"],
                     [f"{self.factor(1.0 - beta)}{n.times}{self.factor(grad)}"], [self.num(velocity)]]
        else:
            value = beta * 0.0 + float(grad)
            chain = [[f"{n.beta}{n.times}{v} + {n.partial('L', symbol)}"],
                     [f"{self.factor(beta)}{n.times}0 + {self.factor(grad)}"], [self.num(velocity)]]
        self.recomputed(f"velocity of {symbol}", value, velocity)
        self.add(Equation(v, chain, relation=n.gets))
        self.recomputed(f"new {symbol}", float(old) - lr * float(velocity), new)
        self.add(Equation(symbol, [[f"{symbol} {n.minus} lr{n.times}{v}"],
                                   [f"{self.num(old)} {n.minus} {self.factor(lr)}{n.times}{self.factor(velocity)}"],
                                   [self.num(new)]], relation=n.gets))

    # -- 5. matrix form
    def matrices(self):
        n, mt, m, L = self.n, self.step.matrix, self.m, self.L
        self.add(Heading("5. The same step as matrices (matrix_net, exact mode): one row per sample",
                         [MATRIX, TO_NEURONS] + ([SOFTMAX_BATCH, SOFTMAX_NET] if self.softmax else [])))
        self.add(Text(f"matrix_net computes every number above again, a layer and a batch at a time; "
                      f"they agree with the element-wise ones to the last bit. Batch of m = {m} sample{'s' if m > 1 else ''}"))
        inputs = f"{n.x(0)}, {n.x(1)}" if self.step.sizes[0] == 2 else f"{n.x(0)}, …, {n.x(self.step.sizes[0] - 1)}"
        self.add(Matrix(n.M("A", 0), "X", mt.A[0], "row s: the inputs " + n.inline(inputs) + " of sample s"))
        for l in range(1, L + 1):
            g = n.activation(self.kind(l))
            self.add(Matrix(n.M("W", l), "", self.W[l], "entry [i, j]: " + n.inline(n.w(l, 'i', 'j'))))
            if self.step.bias:
                self.add(Matrix(n.M("b", l), "", self.b[l][None, :], "entry [j]: " + n.inline(n.b(l, 'j'))))
            plus_b = f" + {n.M('b', l)}" if self.step.bias else ""
            self.add(Matrix(n.M("Z", l), f"{n.M('A', l - 1)}{n.times}{n.M('W', l)}{plus_b}", mt.Z[l],
                            "row s, column j: " + n.inline(n.z(l, 'j')) + " of sample s (section 1)"))
            softmax = self.kind(l) == "softmax"
            self.add(Matrix(n.M("A", l), f"{n.softmax}({n.M('Z', l)})" if softmax else g(n.M("Z", l)), mt.A[l],
                            "row s, column j: " + n.inline(self.a(l, 'j')) + " of sample s (section 1"
                            + ("; the softmax of each row)" if softmax else ")")))
        if self.softmax:
            out = f"(1/m)({n.M('A', L)} {n.minus} {n.onehot}(Y))"
        elif self.step.config.loss == "mse":
            out = f"(2/m)({n.M('A', L)} {n.minus} Y) ⊙ {n.M('A', L)} ⊙ (1 {n.minus} {n.M('A', L)})"
        elif self.step.config.loss == "half-mse":
            out = f"(1/m)({n.M('A', L)} {n.minus} Y) ⊙ {n.M('A', L)} ⊙ (1 {n.minus} {n.M('A', L)})"
        else:
            out = f"(1/m)({n.M('A', L)} {n.minus} Y)"
        self.add(Matrix(n.M("Δ", L), n.elementwise(out), mt.Delta[L],
                        ("row s, column j: " + n.inline(n.delta(L, 'j')) if self.softmax
                         else "row s: " + n.inline(n.delta(L, 0))) + " of sample s (section 3)"))
        for l in range(L - 1, 0, -1):
            self.add(Matrix(n.M("Δ", l), n.elementwise(f"({n.M('Δ', l + 1)}{n.times}{n.M('W', l + 1)}{n.T}) ⊙ "
                                                       f"g'({n.M('Z', l)})"),
                            mt.Delta[l], "row s, column i: " + n.inline(n.delta(l, 'i')) + " of sample s (section 3)"))
        for l in range(1, L + 1):
            k = (l - 1) * (2 if self.step.bias else 1)
            self.add(Matrix(n.partial("L", n.M("W", l)), f"{n.M('A', l - 1)}{n.T}{n.times}{n.M('Δ', l)}", mt.grads[k],
                            "entry [i, j]: " + n.inline(n.partial('L', n.w(l, 'i', 'j'))) + " (section 4): row i of "
                            + n.inline(f"{n.M('A', l - 1)}{n.T}") + " times column j of " + n.inline(n.M('Δ', l))
                            + " is its sum over the samples"))
            if self.step.bias:
                self.add(Matrix(n.partial("L", n.M("b", l)), f"1{n.T}{n.times}{n.M('Δ', l)}", mt.grads[k + 1][None, :],
                                "entry [j]: " + n.inline(n.partial('L', n.b(l, 'j'))) + ", the column sums of "
                                + n.inline(n.M('Δ', l))))
        momentum = self.step.velocities is not None
        for l in range(1, L + 1):
            for letter, new, what, velocity in (("W", self.new_W[l], "weights", momentum and self.velocity_W[l]),
                                                ("b", self.new_b[l] if self.step.bias else None, "biases",
                                                 momentum and self.step.bias and self.velocity_b[l])):
                if new is None:
                    continue
                P = n.M(letter, l)
                rows = (lambda a: a) if letter == "W" else (lambda a: a[None, :])
                if momentum:
                    taken = (f"(1 {n.minus} {n.beta}){n.times}{n.partial('L', P)}"
                             if self.step.config.momentum_form == "average" else n.partial("L", P))
                    self.add(Matrix(n.velocity(P), f"{n.beta}{n.times}0 + {taken}", rows(velocity),
                                    f"the velocities of the {what} of section 4"))
                    step = n.velocity(P)
                else:
                    step = n.partial("L", P)
                self.add(Matrix(n.new(P), f"{P} {n.minus} lr{n.times}{step}", rows(new), f"the new {what} of section 4"))


def blocks(step, notation):
    """The whole trace of ``step`` as a list of blocks, in the order it is read."""
    builder = Builder(step, notation)
    builder.forward()
    builder.loss()
    builder.backward()
    builder.gradients()
    builder.matrices()
    return builder.out
