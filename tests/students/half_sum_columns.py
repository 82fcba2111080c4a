"""Right for ½·Σ (ŷ - y)², as Nielsen's network.py: column vectors, one sample at a time, summed."""

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


def backprop(params, x, y):
    """Nielsen's backprop for one sample x (2, 1): (nabla_b, nabla_w) of ½(ŷ - y)²."""
    biases, weights = params[1::2], params[0::2]
    activation, activations, zs = x, [x], []
    for b, w in zip(biases, weights):
        z = np.dot(w, activation) + b
        zs.append(z)
        activation = sigmoid(z)
        activations.append(activation)
    delta = (activations[-1] - y) * sigmoid_prime(zs[-1])
    nabla_b = [np.zeros(b.shape) for b in biases]
    nabla_w = [np.zeros(w.shape) for w in weights]
    nabla_b[-1], nabla_w[-1] = delta, np.dot(delta, activations[-2].transpose())
    for l in range(2, len(weights) + 1):
        delta = np.dot(weights[-l + 1].transpose(), delta) * sigmoid_prime(zs[-l])
        nabla_b[-l], nabla_w[-l] = delta, np.dot(delta, activations[-l - 1].transpose())
    return nabla_b, nabla_w


def gradients(params, X, y):
    total = [np.zeros(p.shape) for p in params]
    for s in range(X.shape[1]):
        nabla_b, nabla_w = backprop(params, X[:, [s]], y[:, [s]])
        for k in range(len(nabla_w)):
            total[2 * k] += nabla_w[k]
            total[2 * k + 1] += nabla_b[k]
    return total
