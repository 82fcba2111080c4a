"""The starting file of ``backprop-lab exercise``: a network to finish by hand, then to check.

``exercise_text(network, form, name, check_command)`` is the file: its docstring states the
shapes, the parameter order, the loss with its constant and the derivation files to read; the
activation functions are given; ``forward`` and ``gradients`` are there with every computation
left out, each blank a line that raises NotImplementedError under a comment that says what goes
there.  ``--form matrix`` leaves matrix products to write, ``--form elementwise`` loops over the
samples and the neurons.  The file imports NumPy only, so it runs wherever the student runs it.
"""

import importlib.util
import textwrap
from pathlib import Path

FORMS = ("matrix", "elementwise")

#: The docstring's paragraphs are wrapped to this width.
WIDTH = 96

#: The derivation files each form points to (in derivations/generated/), with what to read there.
MATRIX_READING = [("04_matrix_form.md", "the batch equations, every quantity and its shape")]
ELEMENTWISE_READING = [("{elementwise}", "1. Forward pass, neuron by neuron; 4. Backpropagation: the recurrence")]
SHARED_READING = [("07_losses.md", "the output delta of each loss"),
                  ("{activation_file}", "the activation's derivative")]


def derivations_folder():
    """derivations/generated/ of the installed package, found without importing it (nor sympy)."""
    spec = importlib.util.find_spec("derivations")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / "generated"


_LOSS_TEXT = {
    "mse": ("L = (1/m) Σ_s (ŷ_s − y_s)²", "dL/dŷ_s = (2/m)(ŷ_s − y_s)",
            "the check accepts your gradients times 1/2, m or m/2 too: the constants of ½·mean of\n    "
            "squares, of a sum without the 1/m and of ½·sum"),
    "half-mse": ("L = (1/2m) Σ_s (ŷ_s − y_s)²", "dL/dŷ_s = (1/m)(ŷ_s − y_s)",
                 "the check accepts your gradients times m too: the constant of ½·sum, without the 1/m"),
    "bce": ("L = −(1/m) Σ_s [y_s log ŷ_s + (1 − y_s) log(1 − ŷ_s)]",
            "dL/dŷ_s = (1/m)(ŷ_s − y_s) / (ŷ_s (1 − ŷ_s))",
            "the check accepts your gradients times m too: the constant of a sum without the 1/m"),
}

# The hidden activations, as the file defines them: (g's body, g_prime's body), for NumPy arrays
# (matrix form) and for Python floats (elementwise form).  The sigmoid is written so that exp
# never overflows, as in the package's trainers.
_ARRAY = {
    "sigmoid": ("return sigmoid(z)", "s = sigmoid(z)\n    return s * (1 - s)"),
    "tanh": ("return np.tanh(z)", "return 1 - np.tanh(z) ** 2"),
    "relu": ("return np.maximum(z, 0.0)", "return (z > 0).astype(float)"),
    "leaky-relu": ("return np.where(z > 0, z, SLOPE * z)", "return np.where(z > 0, 1.0, SLOPE)"),
    "silu": ("return z * sigmoid(z)", "s = sigmoid(z)\n    return s * (1 + z * (1 - s))"),
    "identity": ("return z", "return np.ones_like(z)"),
}
_FLOAT = {
    "sigmoid": ("return sigmoid(z)", "s = sigmoid(z)\n    return s * (1 - s)"),
    "tanh": ("return math.tanh(z)", "return 1 - math.tanh(z) ** 2"),
    "relu": ("return z if z > 0 else 0.0", "return 1.0 if z > 0 else 0.0"),
    "leaky-relu": ("return z if z > 0 else SLOPE * z", "return 1.0 if z > 0 else SLOPE"),
    "silu": ("return z * sigmoid(z)", "s = sigmoid(z)\n    return s * (1 + z * (1 - s))"),
    "identity": ("return z", "return 1.0"),
}

_SIGMOID_ARRAY = '''def sigmoid(z):
    """σ(z) = 1 / (1 + e^-z), written so that exp never overflows."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
'''
_SIGMOID_FLOAT = '''def sigmoid(z):
    """σ(z) = 1 / (1 + e^-z), written so that exp never overflows."""
    e = math.exp(-abs(z))
    return 1 / (1 + e) if z >= 0 else e / (1 + e)
'''


def _activations(network, form):
    g, g_prime = (_ARRAY if form == "matrix" else _FLOAT)[network.activation]
    slope = ""
    if network.activation == "leaky-relu":
        slope = f"\n#: leaky-relu's slope for z < 0\nSLOPE = {network.leaky_slope!r}\n"
    return (f"{slope}\n\n{_SIGMOID_ARRAY if form == 'matrix' else _SIGMOID_FLOAT}\n\n"
            f"def g(z):\n    \"\"\"The hidden layers' activation, {network.activation}; the output is always σ.\"\"\"\n"
            f"    {g}\n\n\n"
            "def g_prime(z):\n"
            "    \"\"\"g'(z): the derivative of g at the pre-activation z (give it z, not a = g(z)).\"\"\"\n"
            f"    {g_prime}\n")


def _docstring(network, form, check_command):
    sizes = network.sizes
    L = len(sizes) - 1
    names = network.names
    loss, derivative, accepted = _LOSS_TEXT[network.loss]
    bias = network.bias
    z_rule = "z_l = a_(l-1) W_l + b_l" if bias else "z_l = a_(l-1) W_l"
    if form == "matrix":
        what = "matrix form: the whole batch at once, with matrix products; each layer's Z and A are (m, width)"
    else:
        what = ("elementwise form: one sample and one neuron at a time, with loops; z[l][j], a[l][j] and "
                "delta[l][j] are numbers")
    intro = textwrap.fill(f"Written by `backprop-lab exercise`, in the {what}.  Fill in every line that raises "
                          "NotImplementedError (the comment above it says what goes there), then run", WIDTH)
    folder = derivations_folder()
    reading = (MATRIX_READING if form == "matrix" else ELEMENTWISE_READING) + SHARED_READING
    elementwise = "02_elementwise_2-4-4-1.md" if bias else "03_elementwise_no_bias.md"
    activation_file = "01_sigmoid.md" if network.activation == "sigmoid" else "06_activations.md"
    reading_lines = "\n".join(f"    {file.format(elementwise=elementwise, activation_file=activation_file):28s}{about}"
                              for file, about in reading)
    here = f"\n(here: {folder})" if folder is not None else ""
    return f'''"""Backpropagation by hand: {network.describe()}.

{intro}

    {check_command}

which says whether your gradients are right and, if not, in which layer and what the mistake
looks like.

The conventions (the package's, row vectors):
    X        (m, 2)               one sample per row; y (m, 1) its 0/1 labels
    params   {("[" + ", ".join(names) + "]").ljust(20)} in this order, always
    W_l      (fan_in, fan_out)    W_l[i, j] is the weight from neuron i of layer l-1 to neuron j of layer l{"""
    b_l      (fan_out,)""" if bias else ""}
    layers   {", ".join(map(str, sizes))}: layer 0 is the two inputs, layer {L} the output
    {z_rule},  a_l = g(z_l),  a_0 = x,  ŷ = a_{L} = σ(z_{L})
    gradients are shaped like their parameters; delta_l = dL/dz_l

The loss of a batch of m samples, with its constant:
    {loss}
    {derivative}
    ({accepted})

The derivations, in the backprop-lab sources (derivations/generated/){here}:
{reading_lines}
"""
'''


def _matrix_code(network):
    bias = network.bias
    split = ("Ws, bs = [None] + params[0::2], [None] + params[1::2]  # Ws[l] = W_l, bs[l] = b_l" if bias
             else "Ws = [None] + params  # Ws[l] = W_l")
    layer = "W, b = Ws[l], bs[l]" if bias else "W = Ws[l]"
    z_rule = "A_(l-1) W + b" if bias else "A_(l-1) W"
    w_index, b_index = ("2 * (l - 1)", "2 * (l - 1) + 1") if bias else ("l - 1", None)
    store = f"        grads[{w_index}] = dW\n" + (f"        grads[{b_index}] = db\n" if bias else "")
    wanted = ("dL/dW_l = A_(l-1)ᵀ Delta (fan_in, fan_out) and dL/db_l = the column sums of Delta (fan_out,)"
              if bias else "dL/dW_l = A_(l-1)ᵀ Delta, (fan_in, fan_out)")
    blank = '"gradients: dW and db of layer l"' if bias else '"gradients: dW of layer l"'
    weights = "Ws = [None] + params[0::2]  # Ws[l] = W_l" if bias else "Ws = [None] + params  # Ws[l] = W_l"
    return f'''

def forward_pass(params, X):
    """Every layer's Z and A, lists indexed by the layer l = 0..L: Zs[l] and As[l] are (m, SIZES[l]);
    Zs[0] is None, As[0] is X, As[L] is ŷ."""
    {split}
    Zs, As = [None], [X]
    for l in range(1, len(SIZES)):
        {layer}
        # Z = {z_rule}, then A = g(Z) in a hidden layer, A = sigmoid(Z) in the output layer
        raise NotImplementedError("forward_pass: Z and A of layer l")
        Zs.append(Z)
        As.append(A)
    return Zs, As


def forward(params, X):
    """ŷ, (m, 1), for the inputs X, (m, 2)."""
    return forward_pass(params, X)[1][-1]


def gradients(params, X, y):
    """[{", ".join("dL/d" + n for n in network.names)}], each shaped like its parameter, for the batch (X, y)."""
    {weights}
    L = len(SIZES) - 1
    m = X.shape[0]
    Zs, As = forward_pass(params, X)
    grads = [None] * len(params)
    # Delta = dL/dZ of the output layer, (m, 1): dL/dŷ (the loss's, above), times σ'(Z) = ŷ(1 − ŷ)
    raise NotImplementedError("gradients: Delta of the output layer")
    for l in range(L, 0, -1):
        # {wanted}
        raise NotImplementedError({blank})
{store}        if l > 1:
            # the Delta of layer l - 1, (m, SIZES[l - 1]): (Delta W_lᵀ) ⊙ g'(Z_(l-1))
            raise NotImplementedError("gradients: Delta of layer l - 1")
    return grads
'''


def _elementwise_code(network):
    bias = network.bias
    split = ("Ws, bs = [None] + params[0::2], [None] + params[1::2]  # Ws[l] = W_l, bs[l] = b_l" if bias
             else "Ws = [None] + params  # Ws[l] = W_l")
    layer = "W, b = Ws[l], bs[l]" if bias else "W = Ws[l]"
    z_rule = "Σ_i a[l-1][i] W[i, j] + b[j]" if bias else "Σ_i a[l-1][i] W[i, j]"
    grads = ("            dW, db = grads[2 * (l - 1)], grads[2 * (l - 1) + 1]" if bias
             else "            dW = grads[l - 1]")
    bias_blank = ('''                # add this sample's dL/db_l[j] = delta[l][j] to db[j]
                raise NotImplementedError("gradients: db[j] of this sample")
''' if bias else "")
    return f'''

def forward_sample(params, x):
    """One sample x, (2,): lists z and a indexed by the layer l = 0..L, z[l] and a[l] lists of
    SIZES[l] numbers; z[0] is None, a[0] holds the two inputs, a[L][0] is ŷ."""
    {split}
    z, a = [None], [list(x)]
    for l in range(1, len(SIZES)):
        {layer}
        z.append([0.0] * SIZES[l])
        a.append([0.0] * SIZES[l])
        for j in range(SIZES[l]):
            # z[l][j] = {z_rule}, then a[l][j] = g(z[l][j]) (sigmoid in the output layer)
            raise NotImplementedError("forward_sample: z[l][j] and a[l][j]")
    return z, a


def forward(params, X):
    """ŷ, (m, 1), one sample at a time."""
    return np.array([[forward_sample(params, x)[1][-1][0]] for x in X])


def gradients(params, X, y):
    """[{", ".join("dL/d" + n for n in network.names)}], each shaped like its parameter, for the batch (X, y):
    each sample's gradient, added up."""
    {"Ws = [None] + params[0::2]  # Ws[l] = W_l" if bias else "Ws = [None] + params  # Ws[l] = W_l"}
    L = len(SIZES) - 1
    m = len(X)
    grads = [np.zeros_like(p) for p in params]
    for s in range(m):
        z, a = forward_sample(params, X[s])
        delta = [None] + [[0.0] * SIZES[l] for l in range(1, L + 1)]  # delta[l][j] = dL/dz[l][j]
        # the output neuron: delta[L][0] = dL/dŷ (the loss's, above, for this sample y[s, 0]) times σ'(z) = ŷ(1 − ŷ)
        raise NotImplementedError("gradients: delta[L][0] of the output neuron")
        for l in range(L - 1, 0, -1):
            W = Ws[l + 1]  # W_(l+1): W[i, j] from neuron i of layer l to neuron j of layer l+1
            for i in range(SIZES[l]):
                # delta[l][i] = g'(z[l][i]) · Σ_j W[i, j] delta[l+1][j]
                raise NotImplementedError("gradients: delta[l][i] of a hidden neuron")
        for l in range(1, L + 1):
{grads}
            for j in range(SIZES[l]):
                for i in range(SIZES[l - 1]):
                    # add this sample's dL/dW_l[i, j] = a[l-1][i] delta[l][j] to dW[i, j]
                    raise NotImplementedError("gradients: dW[i, j] of this sample")
{bias_blank}    return grads
'''


def exercise_text(network, form, check_command):
    """The whole file for ``network`` (backprop_lab.check.Network) in ``form`` ('matrix' or
    'elementwise'); ``check_command``: the command its docstring tells the student to run."""
    if form not in FORMS:
        raise ValueError(f"unknown form {form!r}; choose one of {', '.join(FORMS)}")
    imports = "import numpy as np\n" if form == "matrix" else "import math\n\nimport numpy as np\n"
    code = _matrix_code(network) if form == "matrix" else _elementwise_code(network)
    return (_docstring(network, form, check_command) + "\n" + imports
            + f"\n#: The layer sizes: the two inputs, the hidden layers, the output.\nSIZES = {tuple(network.sizes)}\n"
            + _activations(network, form) + code)
