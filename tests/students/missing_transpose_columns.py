"""MISTAKE in columns, with the ½·Σ loss of Nielsen's book: a missing transpose in the square layer,
W2 @ d2 where W2.T @ d2 belongs."""

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def gradients(params, X, y):
    W1, b1, W2, b2, W3, b3 = params
    A1 = sigmoid(W1 @ X + b1)
    A2 = sigmoid(W2 @ A1 + b2)
    A3 = sigmoid(W3 @ A2 + b3)
    d3 = (A3 - y) * A3 * (1 - A3)
    d2 = (W3.T @ d3) * A2 * (1 - A2)
    d1 = (W2 @ d2) * A1 * (1 - A1)
    return [d1 @ X.T, d1.sum(axis=1, keepdims=True), d2 @ A1.T, d2.sum(axis=1, keepdims=True),
            d3 @ A2.T, d3.sum(axis=1, keepdims=True)]
