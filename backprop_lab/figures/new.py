"""Where every figure of the package comes from: a matplotlib Figure of its own, outside pyplot.

See the package's docstring (backprop_lab/figures/__init__.py) for why not ``plt.figure``.
"""

import io

import matplotlib.figure


class Figure(matplotlib.figure.Figure):
    """A matplotlib Figure that IPython shows as a picture even before any backend is loaded.

    IPython (Jupyter) draws a Figure with the PNG formatter that matplotlib's inline backend gives
    it when that backend is loaded, which pyplot does at its first figure; a figure made without
    pyplot before then would print as ``<Figure size ... with N Axes>``.  ``_repr_png_`` is what
    IPython falls back on when no formatter is registered for the type; once one is, IPython uses
    it (and so the user's inline settings) instead.  Nothing else differs from a Figure.
    """

    def _repr_png_(self):
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", bbox_inches="tight")  # as the inline backend draws it
        return buffer.getvalue()


def new_figure(**kwargs):
    """A new Figure(**kwargs) (figsize, layout, ...), which pyplot does not know.

    Nothing holds it but the caller: a command that draws dozens keeps none of them open, and
    there is nothing to close.  Nothing loads a backend either: ``savefig`` needs none.
    """
    return Figure(**kwargs)
