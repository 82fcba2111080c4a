"""Train scalar_net on a few cases and save the weights: run as a script, with or without numba.

    NUMBA_DISABLE_JIT=1 python tests/elementwise_run.py OUT.npz
"""

import sys

import numpy as np

import scalar_net
from backprop_lab.config import Config, prepare

#: (data set, batch size, options): short, since the pure-Python run is about 1000x slower.
RUNS = [
    ("xor", None, dict(lr=1.0), 300),
    ("xor", 1, dict(lr=0.5, activation="tanh", loss="bce", optimizer="momentum", momentum=0.5), 20),
    ("linear", 8, dict(lr=0.01, activation="relu", optimizer="adam"), 10),
]


def weights():
    arrays = {}
    for r, (dataset, batch_size, extra, epochs) in enumerate(RUNS):
        X, Y, params = prepare(Config(dataset=dataset, samples=30, seed=2))
        result = scalar_net.train(params, X, Y, epochs=epochs, batch_size=batch_size, **extra)
        arrays.update({f"run{r}_param{k}": p for k, p in enumerate(result.params)})
        arrays[f"run{r}_loss"] = result.loss
    return arrays


if __name__ == "__main__":
    np.savez(sys.argv[1], **weights())
