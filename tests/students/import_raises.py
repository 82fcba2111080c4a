"""Cannot be checked: the file fails when imported (it reads a data file that is not there)."""

import numpy as np

DATA = np.loadtxt("no_such_data_file.csv")


def gradients(params, X, y):
    return [np.zeros_like(p) for p in params]
