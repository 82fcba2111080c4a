"""The loss written the way a textbook writes it, independent of both trainers' code.

Used as the function whose finite differences the trainers' gradients must match.
"""

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


HIDDEN = {
    "sigmoid": sigmoid,
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
    "leaky-relu": lambda z: np.where(z > 0, z, 0.01 * z),
    "silu": lambda z: z * sigmoid(z),
    "identity": lambda z: z,
}


def loss(params, X, Y, activation="sigmoid", loss="mse"):
    """L = (1/m) sum (y_hat - y)^2, (1/2m) sum (y_hat - y)^2 (half-mse), the mean binary
    cross-entropy, or for K softmax outputs the mean cross-entropy -(1/m) sum log y_hat[y], of
    the net on (X, Y)."""
    has_bias = len(params) > 1 and params[1].ndim == 1
    Ws = params[0::2] if has_bias else params
    bs = params[1::2] if has_bias else [0.0] * len(Ws)
    a = X
    for layer, (W, b) in enumerate(zip(Ws, bs), start=1):
        z = a @ W + b
        if layer < len(Ws):
            a = HIDDEN[activation](z)
        elif loss == "cross-entropy":
            a = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)  # the textbook softmax
        else:
            a = sigmoid(z)
    if loss == "cross-entropy":
        return -np.mean(np.log(a[np.arange(len(a)), Y[:, 0].astype(int)]))
    if loss == "mse":
        return np.mean((a - Y) ** 2)
    if loss == "half-mse":
        return np.mean((a - Y) ** 2) / 2
    return -np.mean(Y * np.log(a) + (1 - Y) * np.log(1 - a))
