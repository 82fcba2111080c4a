"""A user's own points from a CSV file: two feature columns, then a 0/1 label column.

A header row is allowed (a first row in which some cell is not a number); blank lines are
skipped.  Every problem raises DataFileError (a ValueError) whose message is one line naming the
file, the line and the problem, before any training starts.
"""

import csv
import io
import math
import os

import numpy as np

from backprop_lab.files import InputError, read_input

MAX_ROWS = 100_000  # more would make both trainers, and scalar_net's per-sample lines, crawl
MAX_BYTES = 64 * 2**20  # MAX_ROWS rows of three full-precision numbers take 7 MB; blank lines aside
COLUMNS = 3  # x0, x1, label


class DataFileError(ValueError):
    """A CSV file that cannot be used; the message names the file and the problem."""


def _number(text):
    try:
        return float(text)
    except ValueError:
        return None


def _rows(path):
    """(line number, cells) for each non-blank line, the file read once (backprop_lab.files)."""
    name = os.path.basename(path)
    try:
        text = read_input(path, MAX_BYTES, "CSV file").decode("utf-8-sig")
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            if cells and any(cell.strip() for cell in cells):
                yield number, cells
    except InputError as error:
        raise DataFileError(str(error)) from None
    except UnicodeDecodeError:
        raise DataFileError(f"{name} is not a text file (not UTF-8)") from None
    except csv.Error as error:
        raise DataFileError(f"{name}: not a readable CSV file ({error})") from None


def load_csv(path, max_rows=None):
    """X (n, 2) and y (n, 1) float64 from the CSV file at ``path``; DataFileError if unusable.

    At most ``max_rows`` data rows (default MAX_ROWS); reading stops at the first row over it.
    """
    max_rows = MAX_ROWS if max_rows is None else max_rows
    name = os.path.basename(path)
    features, labels = [], []
    header_allowed = True
    for line, cells in _rows(path):
        if len(cells) != COLUMNS:
            raise DataFileError(f"{name} line {line}: {len(cells)} columns; expected {COLUMNS} "
                                "(x0, x1 and a 0/1 label)")
        values = [_number(cell) for cell in cells]
        if header_allowed and None in values:
            header_allowed = False  # a header: only the first row may be one
            continue
        header_allowed = False
        for column, (cell, value) in enumerate(zip(cells, values), start=1):
            if value is None:
                raise DataFileError(f"{name} line {line}, column {column}: {cell.strip()!r} is not a number")
            if not math.isfinite(value):
                raise DataFileError(f"{name} line {line}, column {column}: {cell.strip()} is not a finite number")
        if values[2] not in (0.0, 1.0):
            raise DataFileError(f"{name} line {line}: label {cells[2].strip()} is not 0 or 1")
        if len(labels) == max_rows:
            raise DataFileError(f"{name} has more than {max_rows} rows, the limit")
        features.append(values[:2])
        labels.append(values[2])
    if not labels:
        raise DataFileError(f"{name} has no data rows" if not header_allowed else f"{name} is empty")
    if len(set(labels)) < 2:
        raise DataFileError(f"{name}: every label is {labels[0]:g}; the points must include both classes, 0 and 1")
    return np.array(features, dtype=np.float64), np.array(labels, dtype=np.float64).reshape(-1, 1)
