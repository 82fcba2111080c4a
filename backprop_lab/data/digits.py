"""The 8x8 handwritten digits, shipped in the package (digits.csv.gz; source and licence in
digits.md): 1,797 images, 64 pixel features scaled from 0-16 to [0, 1], labels 0..9."""

import gzip
from functools import cache
from importlib import resources

import numpy as np

SIZE = 1797
SIDE = 8  # each image is SIDE x SIDE pixels, a row of the file row by row from the top left
CLASSES = 10
DARKEST = 16.0  # a pixel's largest value: the count of dark pixels in a 4 x 4 block


@cache
def _table():
    with resources.files("backprop_lab.data").joinpath("digits.csv.gz").open("rb") as packed:
        table = np.loadtxt(gzip.open(packed, "rt"), delimiter=",", dtype=np.float64)
    table.flags.writeable = False
    return table


def load_digits():
    """X (1797, 64) the pixels divided by 16, in [0, 1]; y (1797, 1) the digit 0..9."""
    table = _table()
    return table[:, :-1] / DARKEST, table[:, -1:].copy()
