"""Right for half-MSE, L = (1/2m) Σ (ŷ - y)² (Nielsen's ½ and the mean): 1/m where MSE has 2/m."""

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def forward(params, X):
    W1, b1, W2, b2, W3, b3 = params
    A1 = sigmoid(X @ W1 + b1)
    A2 = sigmoid(A1 @ W2 + b2)
    return sigmoid(A2 @ W3 + b3)


def gradients(params, X, y):
    W1, b1, W2, b2, W3, b3 = params
    m = X.shape[0]
    Z1 = X @ W1 + b1
    A1 = sigmoid(Z1)
    Z2 = A1 @ W2 + b2
    A2 = sigmoid(Z2)
    Z3 = A2 @ W3 + b3
    A3 = sigmoid(Z3)
    d3 = (1 / m) * (A3 - y) * A3 * (1 - A3)
    d2 = (d3 @ W3.T) * A2 * (1 - A2)
    d1 = (d2 @ W2.T) * A1 * (1 - A1)
    return [X.T @ d1, d1.sum(axis=0), A1.T @ d2, d2.sum(axis=0), A2.T @ d3, d3.sum(axis=0)]
