"""Cannot be checked: a syntax error (a missing closing parenthesis)."""

import numpy as np


def gradients(params, X, y):
    m = X.shape[0
    return []
