"""The common mistakes of a hand-written backward pass, each as the numbers it would give.

A finding is never a guess from the size of an error: the check computes what each mistake would
give on the same parameters and batch, and names a mistake only when the student's numbers are
those, to the tolerance of backprop_lab.check.comparison.

Two kinds:

- a layer's delta (read off the batch of one sample, see backprop_lab.check.diagnosis), computed
  from the delta of the layer above as the student has it, so that a mistake is found in the
  layer where it is made;
- a parameter's gradient on every batch, computed from the reference's deltas (a gradient
  transposed, z where a belongs in dL/dW, a bias gradient averaged or taken from one sample).

Row layout and notation of backprop_lab.conventions: delta_l = dL/dz_l, sigma'(z) = a (1 - a);
``back`` is dL/da_l = W_{l+1} delta_{l+1}, the sum over the neurons above.
"""

from dataclasses import dataclass

import numpy as np

from backprop_lab.check.finite_differences import sigmoid


def derivative(name, x, slope):
    """g'(x) of the hidden activation ``name``, evaluated at x (whatever x the student gave it)."""
    if name == "sigmoid":
        s = sigmoid(x)
        return s * (1.0 - s)
    if name == "tanh":
        return 1.0 - np.tanh(x) ** 2
    if name == "relu":
        return (x > 0).astype(np.float64)
    if name == "leaky-relu":
        return np.where(x > 0, 1.0, slope)
    if name == "silu":
        s = sigmoid(x)
        return s * (1.0 + x * (1.0 - s))
    return np.ones_like(x)  # identity


#: g'(z) written from a = g(z), for the activations whose derivative students write that way;
#: given z instead of a, it is the mistake "z where a belongs".
FROM_A = {"sigmoid": lambda a: a * (1.0 - a), "tanh": lambda a: 1.0 - a * a}

#: How the findings write each activation's derivative: (g'(z), g'(z) from a, or None).
DERIVATIVE_TEXT = {"sigmoid": ("σ'(z) = σ(z)(1 − σ(z))", "a{l}·(1 − a{l})"),
                   "tanh": ("tanh'(z) = 1 − tanh(z)²", "1 − a{l}²"),
                   "silu": ("silu'(z) = σ(z)(1 + z(1 − σ(z)))", None)}


def activation_fields(kind, l):
    """The fields the advice of layer ``l``, whose activation is ``kind``, is written with."""
    g_prime, from_a = DERIVATIVE_TEXT.get(kind, ("g'(z)", None))
    from_a = from_a.format(l=l) if from_a else None
    return dict(g_prime=g_prime, from_a=from_a or "g'", or_from_a=f", or write it from a as {from_a}" if from_a else "")


@dataclass(frozen=True)
class Mistake:
    kind: str     # its name in --json
    title: str    # what the report calls it
    advice: str   # one line on where to look; {l} the layer, {above} l + 1, {below} l - 1
    columns: str = ""  # the line for the column layout, where it reads otherwise

    def text(self, layout, **fields):
        return (self.columns if layout == "columns" and self.columns else self.advice).format(**fields)


DERIVATIVE_OF_A = Mistake("derivative_of_a", "σ'(a) for σ'(z)",
                          "the activation's derivative is taken of a{l} = g(z{l}) instead of z{l}: with "
                          "{g_prime}, give it z{l}{or_from_a}")
Z_FOR_A = Mistake("z_for_a", "z where a belongs",
                  "the derivative is written from a, as {from_a}, but given z{l}: give it a{l}")
MISSING_TRANSPOSE = Mistake("missing_transpose", "a missing W transpose",
                            "dL/da{l} is δ{above}·W{above} instead of δ{above}·W{above}ᵀ: a square W{above} hides it "
                            "from the shapes",
                            "dL/da{l} is W{above}·δ{above} instead of W{above}ᵀ·δ{above}: a square W{above} hides it "
                            "from the shapes")
MISSING_DERIVATIVE = Mistake("missing_derivative", "g'(z) missing",
                             "δ{l} is dL/da{l} without the factor g'(z{l}) of the activation")
OUTPUT_MISSING_DERIVATIVE = Mistake("output_missing_derivative", "the output delta missing σ'(z)",
                                    "with MSE, δ{l} = dL/dŷ·σ'(z{l}) = (2/m)(ŷ − y)·ŷ(1 − ŷ) (half-mse: "
                                    "(1/m)(ŷ − y)·ŷ(1 − ŷ)): the factor "
                                    "ŷ(1 − ŷ) is missing (only cross-entropy cancels it)")
OUTPUT_EXTRA_DERIVATIVE = Mistake("output_extra_derivative", "the output delta with a σ'(z) too many",
                                  "with cross-entropy and a sigmoid output, δ{l} = (1/m)(ŷ − y): the "
                                  "sigmoid's derivative cancels the loss's denominator, so ŷ(1 − ŷ) must not "
                                  "be multiplied in")
SIGN_FLIPPED = Mistake("sign_flipped", "the sign flipped",
                       "the numbers are right but their sign is not: a minus sign too many, such as (y − ŷ) where "
                       "(ŷ − y) belongs or a·(a − 1) where a·(1 − a) does; a step would climb the loss")
TRANSPOSED = Mistake("gradient_transposed", "a gradient transposed",
                     "dL/dW{l} is δ{l}ᵀ·a{below} where a{below}ᵀ·δ{l} belongs: a square W{l} hides it from the "
                     "shapes",
                     "dL/dW{l} is a{below}·δ{l}ᵀ where δ{l}·a{below}ᵀ belongs: a square W{l} hides it from the "
                     "shapes")
Z_FOR_A_IN_WEIGHTS = Mistake("z_for_a_in_weight_gradient", "z where a belongs",
                             "dL/dW{l} is z{below}ᵀ·δ{l}: the weight gradient needs the activations a{below} "
                             "= g(z{below}) of the layer below, not its z",
                             "dL/dW{l} is δ{l}·z{below}ᵀ: the weight gradient needs the activations a{below} "
                             "= g(z{below}) of the layer below, not its z")
BIAS_AVERAGED = Mistake("bias_averaged", "a bias gradient averaged",
                        "dL/db{l} is the mean of δ{l} over the samples; it is their sum (the 1/m is already "
                        "in δ, and dL/dW{l} sums too)")
BIAS_ONE_SAMPLE = Mistake("bias_one_sample", "a bias gradient from one sample",
                          "dL/db{l} is {sample} sample's δ{l}, not the sum over the batch's samples: "
                          "an assignment where += belongs, or a row taken instead of a column sum")


def output_candidates(network, y_hat, y, z, m):
    """[(Mistake, delta_L)] for the output neuron of one sample: ŷ, y, z of shape (1,)."""
    e = y_hat - y
    if network.loss in ("mse", "half-mse"):
        scale = (2.0 if network.loss == "mse" else 1.0) / m
        right = scale * e * (y_hat * (1.0 - y_hat))
        return [(OUTPUT_MISSING_DERIVATIVE, scale * e),
                (DERIVATIVE_OF_A, scale * e * derivative("sigmoid", y_hat, 0.0)),
                (Z_FOR_A, scale * e * FROM_A["sigmoid"](z)),
                (SIGN_FLIPPED, -right)]
    right = (1.0 / m) * e
    return [(OUTPUT_EXTRA_DERIVATIVE, right * (y_hat * (1.0 - y_hat))), (SIGN_FLIPPED, -right)]


def hidden_candidates(network, W_above, delta_above, z, a):
    """[(Mistake, delta_l)] for hidden layer l of one sample, from the student's delta_{l+1}.

    W_above: W_{l+1} (n_l, n_{l+1}); delta_above (n_{l+1},); z, a: layer l's (n_l,).
    """
    name, slope = network.activation, network.leaky_slope
    back = W_above @ delta_above
    right = back * derivative(name, z, slope)
    candidates = []
    if name in ("sigmoid", "tanh", "silu"):  # for the others g'(a) = g'(z) wherever a = g(z)
        candidates.append((DERIVATIVE_OF_A, back * derivative(name, a, slope)))
    if name in FROM_A:
        candidates.append((Z_FOR_A, back * FROM_A[name](z)))
    if W_above.shape[0] == W_above.shape[1]:
        candidates.append((MISSING_TRANSPOSE, (W_above.T @ delta_above) * derivative(name, z, slope)))
    if name != "identity":
        candidates.append((MISSING_DERIVATIVE, back))
    candidates.append((SIGN_FLIPPED, -right))
    return candidates


def weight_candidates(l, W, step, reference_gradient):
    """[(Mistake, dL/dW_l)] on one batch: W the parameter (n_{l-1}, n_l), step the reference's trace."""
    candidates = [(SIGN_FLIPPED, -reference_gradient)]
    if W.shape[0] == W.shape[1]:
        candidates.append((TRANSPOSED, reference_gradient.T))
    if l >= 2:
        candidates.append((Z_FOR_A_IN_WEIGHTS, step.Z[l - 1].T @ step.Delta[l]))
    return candidates


def bias_candidates(l, step, reference_gradient):
    """[(Mistake, dL/db_l, which sample or None)] on one batch of m samples: a bias gradient taken
    from one sample is the first's (a row instead of a column sum) or the last's (a loop that
    assigns where it should add)."""
    m = step.Delta[l].shape[0]
    return [(SIGN_FLIPPED, -reference_gradient, None), (BIAS_AVERAGED, reference_gradient / m, None),
            (BIAS_ONE_SAMPLE, step.Delta[l][0], "the first"), (BIAS_ONE_SAMPLE, step.Delta[l][m - 1], "the last")]
