"""Cannot be checked: gradients returns the weight gradients only, three arrays for six parameters."""

import numpy as np


def gradients(params, X, y):
    return [np.zeros_like(W) for W in params[0::2]]
