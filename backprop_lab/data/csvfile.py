"""A user's own points from a CSV file: any number of feature columns, then the label column.

Every row has the first row's width.  The labels are the classes 0..K-1, whole numbers, each
present at least once: 0 and 1 for two classes (one sigmoid output), up to K-1 for K >= 3 (K
softmax outputs).  A header row is allowed (a first row in which some cell is not a number);
blank lines are skipped.  Every problem raises DataFileError (a ValueError) whose message is one
line naming the file, the line and the problem, before any training starts.
"""

import csv
import io
import math
import os

import numpy as np

from backprop_lab.files import InputError, read_input

MAX_ROWS = 100_000  # more would make both trainers, and scalar_net's per-sample lines, crawl
MAX_COLUMNS = 1025  # 1024 features (a 32 x 32 image) and the label: wider rows would crawl as rows do
MAX_BYTES = 64 * 2**20  # MAX_ROWS rows of three full-precision numbers take 7 MB; blank lines aside
MAX_CLASSES = 100  # the labels 0..99: more outputs than the widest hidden layer a student would try


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


def _width(name, line, cells, width):
    """The row's width, checked: that of the first row (``width``, None for the first), at
    least one feature and the label, at most MAX_COLUMNS."""
    if width is None:
        if len(cells) < 2:
            raise DataFileError(f"{name} line {line}: 1 column; a row needs its features and then its label")
        if len(cells) > MAX_COLUMNS:
            raise DataFileError(f"{name} line {line}: {len(cells)} columns, more than {MAX_COLUMNS}, the limit "
                                f"({MAX_COLUMNS - 1} features and the label)")
        return len(cells)
    if len(cells) != width:
        raise DataFileError(f"{name} line {line}: {len(cells)} columns; expected {width} as in the first row "
                            f"({width - 1} features and the label)")
    return width


def load_csv(path, max_rows=None):
    """X (n, features) and y (n, 1) float64 from the CSV file at ``path``; DataFileError if unusable.

    At most ``max_rows`` data rows (default MAX_ROWS); reading stops at the first row over it.
    """
    max_rows = MAX_ROWS if max_rows is None else max_rows
    name = os.path.basename(path)
    features, labels = [], []
    header_allowed = True
    width = None
    for line, cells in _rows(path):
        width = _width(name, line, cells, width)
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
        label = values[-1]
        if not (0.0 <= label < MAX_CLASSES and label == math.floor(label)):
            raise DataFileError(f"{name} line {line}: label {cells[-1].strip()} is not a class, a whole number "
                                f"from 0 to {MAX_CLASSES - 1}")
        if len(labels) == max_rows:
            raise DataFileError(f"{name} has more than {max_rows} rows, the limit")
        features.append(values[:-1])
        labels.append(label)
    if not labels:
        raise DataFileError(f"{name} has no data rows" if not header_allowed else f"{name} is empty")
    if len(set(labels)) < 2:
        raise DataFileError(f"{name}: every label is {labels[0]:g}; the points must include at least two classes, "
                            "0 and 1")
    _check_every_class(name, set(labels))
    return np.array(features, dtype=np.float64), np.array(labels, dtype=np.float64).reshape(-1, 1)


def _check_every_class(name, labels):
    """The labels are 0..K-1 with none missing: the net has one output per class (K = 2: one)."""
    missing = [c for c in range(int(max(labels)) + 1) if c not in labels]
    if missing:
        raise DataFileError(f"{name}: the labels run to {max(labels):g} but no row has label {missing[0]}; "
                            "the classes must be 0, 1, ..., K-1")
