"""MISTAKE without biases (run with --no-bias, the lab spec's net): a missing transpose in the
square layer, d2 @ W2 where d2 @ W2.T belongs.  params = [W1, W2, W3]."""

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def gradients(params, X, y):
    W1, W2, W3 = params
    m = X.shape[0]
    A1 = sigmoid(X @ W1)
    A2 = sigmoid(A1 @ W2)
    A3 = sigmoid(A2 @ W3)
    d3 = (2 / m) * (A3 - y) * A3 * (1 - A3)
    d2 = (d3 @ W3.T) * A2 * (1 - A2)
    d1 = (d2 @ W2) * A1 * (1 - A1)
    return [X.T @ d1, A1.T @ d2, A2.T @ d3]
