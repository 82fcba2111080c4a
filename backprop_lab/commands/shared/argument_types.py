"""The argument types: each parses its text and refuses a bad value at parse time, so every bad
value reads the same way ("argument --lr: must be positive, got 0")."""

import argparse
import math

from backprop_lab.data import MAX_CLASSES


def checked(name, parse, accept, requirement):
    """An argparse ``type``: ``parse`` the text, and refuse a value that ``accept`` rejects with
    "must be <requirement>".  argparse calls it "<name>" in its own messages ("invalid <name>
    value: 'x'", for text that does not parse)."""
    def check(text):
        value = parse(text)
        if not accept(value):
            raise argparse.ArgumentTypeError(f"must be {requirement}, got {text}")
        return value

    check.__name__ = name
    return check


def finite_number(text):
    value = float(text)
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, got {text}")
    return value


finite_number.__name__ = "finite number"
positive_int = checked("positive integer", int, lambda v: v >= 1, "at least 1")
positive_float = checked("positive number", finite_number, lambda v: v > 0, "positive")
decay = checked("number in [0, 1)", finite_number, lambda v: 0 <= v < 1, "in [0, 1)")
noise = checked("noise in [0, 1]", finite_number, lambda v: 0 <= v <= 1, "between 0 and 1")
fraction = checked("fraction in [0, 1)", finite_number, lambda v: 0 <= v < 1, "at least 0 and below 1")
count = checked("non-negative integer", int, lambda v: v >= 0, "0 or more")
accuracy = checked("accuracy in (0, 1]", finite_number, lambda v: 0 < v <= 1, "in (0, 1], e.g. 1 for 100%")
non_negative_float = checked("number >= 0", finite_number, lambda v: v >= 0, "zero or positive")
seed = checked("seed", int, lambda v: v >= 0, "a non-negative integer")
classes = checked("number of classes", int, lambda v: 2 <= v <= MAX_CLASSES, f"from 2 to {MAX_CLASSES}")


def _a_name(text, what):
    """``text`` if it can name a file or folder: not empty (then: give ``what``), no NUL character."""
    if not text:
        raise argparse.ArgumentTypeError(f"the name is empty; give {what}")
    if "\0" in text:
        raise argparse.ArgumentTypeError("the name contains a NUL character")
    return text


def input_file(text):
    """An argparse ``type`` for a file the command reads: a name, at least (the file itself is read
    by its kind's reader, backprop_lab.files.read_input)."""
    return _a_name(text, "a file")


input_file.__name__ = "file name"


def folder_name(text):
    """An argparse ``type`` for a folder the command writes into: a name, at least ('' would be the
    current folder, which is spelled '.')."""
    return _a_name(text, "a folder ('.' for the current one)")


folder_name.__name__ = "folder name"


def at_most(limit, what):
    """An argparse ``action`` for ``nargs="+"``: refuse more than ``limit`` values at parse time
    ("argument --samples: at most 10 samples, got 11")."""
    class AtMost(argparse.Action):
        def __call__(self, parser, namespace, values, option_string=None):
            if len(values) > limit:
                raise argparse.ArgumentError(self, f"at most {limit} {what}, got {len(values)}")
            setattr(namespace, self.dest, values)

    return AtMost
