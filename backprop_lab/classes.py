"""The class a network predicts from its output, and its accuracy: one rule for both trainers'
outputs and every command (backprop_lab.conventions).

y_hat: (n, 1) P(class 1) of one sigmoid output, or (n, K) the softmax probabilities of K outputs;
Y: (n, 1) the labels (0/1, or the classes 0..K-1).
"""

import numpy as np

from backprop_lab.conventions import DECISION_THRESHOLD


def predicted(y_hat):
    """(n, 1) float: class 1 where y_hat > 0.5 (one output); the first largest output (K outputs)."""
    if y_hat.shape[1] == 1:
        return (y_hat > DECISION_THRESHOLD).astype(np.float64)
    return np.argmax(y_hat, axis=1).astype(np.float64).reshape(-1, 1)


def accuracy(y_hat, Y):
    """The fraction of samples whose predicted class is their label (one output: y_hat and Y on
    the same side of 0.5, which also scores a target between 0 and 1)."""
    if y_hat.shape[1] == 1:
        return float(np.mean((y_hat > DECISION_THRESHOLD) == (Y > DECISION_THRESHOLD)))
    return float(np.mean(predicted(y_hat) == Y))


def confidence(y_hat):
    """(n,): the probability the network gives its predicted class."""
    if y_hat.shape[1] == 1:
        return np.where(y_hat[:, 0] > DECISION_THRESHOLD, y_hat[:, 0], 1.0 - y_hat[:, 0])
    return y_hat.max(axis=1)
