"""The two ways students lay out a network's arrays, and the conversion between them.

Rows (the package's, backprop_lab.conventions): one sample is a row; ``X`` (m, 2), ``y`` (m, 1),
``z = a W + b`` with ``W_l`` (fan_in, fan_out) and ``b_l`` (fan_out,).

Columns (Nielsen's book and most courses): one sample is a column; ``X`` (2, m), ``y`` (1, m),
``z = W a + b`` with ``W_l`` (fan_out, fan_in) and ``b_l`` (fan_out, 1).  The same network: the
column layout's ``W_l`` is the row layout's transposed, entry ``W_l[j, i]`` for ``W_l[i, j]``.

Gradients come back shaped like the parameters they belong to.  A bias gradient may also keep or
drop the unit axis (``(1, fan_out)`` in rows, ``(fan_out,)`` in columns): the same numbers, and
``np.sum(..., keepdims=True)`` is how many students write it.
"""

import numpy as np


class Rows:
    name = "rows"
    advice = "run without --columns"
    description = "row vectors (the package's): X (m, 2), y (m, 1), W_l (fan_in, fan_out), b_l (fan_out,)"

    def inputs(self, params, batch):
        """(params, X, y) as the student's function receives them: fresh copies it may change."""
        return [p.copy() for p in params], batch.X.copy(), batch.Y.copy()

    def shape(self, shape):
        """A parameter's shape in this layout, from its shape in rows."""
        return tuple(shape)

    def accepts(self, returned, expected, bias):
        """Whether a gradient of shape ``returned`` fits a parameter of shape ``expected`` (this
        layout's); ``bias``: the parameter is a bias."""
        return tuple(returned) == tuple(expected) or (bias and tuple(returned) == (1, expected[0]))

    def gradient_to_rows(self, gradient, shape):
        """The student's gradient as the package's array of ``shape`` (the parameter's shape in rows)."""
        return np.asarray(gradient, dtype=np.float64).reshape(shape)

    def output_shape(self, m):
        return (m, 1)

    def output_to_rows(self, y_hat, m):
        return np.asarray(y_hat, dtype=np.float64).reshape(m, 1)

    def index(self, index):
        """An entry's index in this layout, from its index in rows."""
        return tuple(index)


class Columns:
    name = "columns"
    advice = "run with --columns"
    description = ("column vectors (Nielsen's and most courses'): X (2, m), y (1, m), W_l (fan_out, fan_in), "
                   "b_l (fan_out, 1)")

    def inputs(self, params, batch):
        converted = [p.T.copy() if p.ndim == 2 else p.reshape(-1, 1).copy() for p in params]
        return converted, batch.X.T.copy(), batch.Y.T.copy()

    def shape(self, shape):
        return (shape[1], shape[0]) if len(shape) == 2 else (shape[0], 1)

    def accepts(self, returned, expected, bias):
        return tuple(returned) == tuple(expected) or (bias and tuple(returned) == (expected[0],))

    def gradient_to_rows(self, gradient, shape):
        gradient = np.asarray(gradient, dtype=np.float64)
        return gradient.T.copy() if len(shape) == 2 else gradient.reshape(shape)

    def output_shape(self, m):
        return (1, m)

    def output_to_rows(self, y_hat, m):
        return np.asarray(y_hat, dtype=np.float64).reshape(m, 1)

    def index(self, index):
        return tuple(reversed(index)) if len(index) == 2 else (index[0], 0)


ROWS, COLUMNS = Rows(), Columns()


def layout(columns):
    return COLUMNS if columns else ROWS


def other(layout):
    return ROWS if layout is COLUMNS else COLUMNS
