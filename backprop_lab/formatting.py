"""Results as a reader reads them: a duration in its unit, a Markdown table, an activation's
derivative in plain text, a point's inputs.

Every command and the derivations write their durations and tables with these, so that a time
or a table reads the same wherever it appears; ``trace``, ``check`` and the playground write
g'(z) with ``derivative_written``.
"""

#: The activations as plain text names them (``trace``, ``check``, the playground).
ACTIVATION_NAMES = {"sigmoid": "σ", "tanh": "tanh", "relu": "relu", "leaky-relu": "lrelu", "silu": "silu",
                    "identity": ""}


def derivative_written(kind, z, a):
    """g'(z) of the activation ``kind`` written as the trainers form it, with ``z`` and ``a`` the
    text that stands for z and a = g(z) (symbols such as ``z1[0]``, or numbers): ``a·(1 − a)``
    for the sigmoid and ``(1 − a²)`` for tanh (both from a), ``1`` for the identity, and
    ``relu'(z)``, ``lrelu'(z)``, ``silu'(z)`` for the others."""
    if kind == "sigmoid":
        return f"{a}·(1 − {a})"
    if kind == "tanh":
        return f"(1 − {a}²)"
    if kind == "identity":
        return "1"
    return f"{ACTIVATION_NAMES[kind]}'({z})"


#: A point's inputs written in full up to this many; a wider one (a digit's 64 pixels) shows the
#: first POINT_HEAD, how many are left out, and the last.
POINT_FULL, POINT_HEAD = 8, 3


def point_written(x, number, symbol=lambda i: f"x{i}"):
    """The inputs x (n,) of one point as ``x0 = 0.1, x1 = 0.2``: ``symbol(i)`` names input i and
    ``number`` writes its value."""
    n = len(x)
    shown = range(n) if n <= POINT_FULL else [*range(POINT_HEAD), n - 1]
    parts = [f"{symbol(i)} = {number(x[i])}" for i in shown]
    if n > POINT_FULL:
        parts.insert(POINT_HEAD, f"… ({n - POINT_HEAD - 1} more) …")
    return ", ".join(parts)


def duration(seconds, ascii=False):
    """``3.99 s``, ``12.3 ms``, ``6.88 µs``, ``950 ns``: three significant digits in the largest
    unit that the time reaches, and whole numbers from 1000 on (``1262 s``, not ``1.26e+03 s``).

    ascii: write microseconds as ``us``, for text that must print on any terminal.
    """
    units = (("s", 1.0), ("ms", 1e-3), ("us" if ascii else "µs", 1e-6), ("ns", 1e-9))
    for unit, scale in units:
        if seconds >= scale or unit == "ns":
            value = seconds / scale
            return f"{value:.3g} {unit}" if value < 1000 else f"{value:.0f} {unit}"


def markdown_table(header, rows):
    """A Markdown table: the header, its rule, a line per row; each cell is ``str()`` of its value,
    with any ``|`` in it escaped (it would split the cell).  No newline at the end."""
    def line(cells):
        return "| " + " | ".join(str(cell).replace("|", "\\|") for cell in cells) + " |"

    return "\n".join([line(header), "|" + "---|" * len(header), *(line(row) for row in rows)])
