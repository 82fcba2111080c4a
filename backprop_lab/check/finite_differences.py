"""The loss from a forward pass in plain NumPy, and its gradient by central finite differences.

Written apart from both trainers on purpose: the check compares a student's gradients with the
reference (scalar_net's backpropagation) and, independently, with these differences of the loss
itself, which use no backward pass at all.  Conventions: backprop_lab.conventions (row vectors,
``z = a W + b``, the loss with its 1/m).
"""

import numpy as np

from backprop_lab.network import weights_and_biases

#: The step of the central differences.  Their error is about STEP^2 * (third derivative) from
#: the Taylor series plus (rounding of L) / STEP, both near 1e-10 for this network's losses.
STEP = 1e-5


def sigmoid(z):
    """1 / (1 + e^-z), written so that exp never overflows."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def activation(name, z, slope):
    """g(z) for the hidden activation ``name`` (backprop_lab.options.ACTIVATIONS)."""
    if name == "sigmoid":
        return sigmoid(z)
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "leaky-relu":
        return np.where(z > 0, z, slope * z)
    if name == "silu":
        return z * sigmoid(z)
    if name == "identity":
        return z
    raise ValueError(f"unknown activation {name!r}")


def forward(network, params, X):
    """(Zs, As): Zs[l] and As[l] of shape (m, sizes[l]) for l = 0..L; Zs[0] is None, As[0] is X."""
    Ws, bs = weights_and_biases(params)
    Zs, As = [None], [np.asarray(X, dtype=np.float64)]
    for l, W in enumerate(Ws, start=1):
        Z = As[-1] @ W + (bs[l - 1] if bs is not None else 0.0)
        A = sigmoid(Z) if l == len(Ws) else activation(network.activation, Z, network.leaky_slope)
        Zs.append(Z)
        As.append(A)
    return Zs, As


def loss(network, params, X, Y):
    """The batch loss L of backprop_lab.conventions: (1/m) times the sum of each sample's term."""
    Zs, As = forward(network, params, X)
    if network.loss == "mse":
        terms = (As[-1] - Y) ** 2
    elif network.loss == "half-mse":
        terms = (As[-1] - Y) ** 2 / 2
    else:  # bce, from the output's z: softplus(z) - y z, finite however far the sigmoid saturates
        z = Zs[-1]
        terms = np.maximum(z, 0.0) - Y * z + np.log1p(np.exp(-np.abs(z)))
    return float(np.sum(terms) / X.shape[0])


def gradient(network, params, X, Y, step=STEP):
    """[dL/dW1, dL/db1, ...] with every entry (L(p + step) - L(p - step)) / (2 step)."""
    grads = []
    for k, p in enumerate(params):
        g = np.zeros_like(p, dtype=np.float64)
        for index in np.ndindex(p.shape):
            shifted = [q.astype(np.float64, copy=True) for q in params]
            shifted[k][index] = p[index] + step
            up = loss(network, shifted, X, Y)
            shifted[k][index] = p[index] - step
            down = loss(network, shifted, X, Y)
            g[index] = (up - down) / (2 * step)
        grads.append(g)
    return grads
