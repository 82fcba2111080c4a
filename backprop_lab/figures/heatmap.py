"""A table as a picture: one coloured cell per (row, column), with its median and range written in."""

import numpy as np

from backprop_lab.figures.new import new_figure


def accuracy_table(medians, lows, highs, row_labels, column_labels, *, title, row_title, column_title):
    """The Figure (not saved: see backprop_lab.figures.save): cell colour = median accuracy (fractions in [0, 1], arrays of shape
    (rows, columns)); each cell reads "median %" over "lowest-highest"."""
    rows, columns = medians.shape
    fig = new_figure(figsize=(1.35 * columns + 2.6, 0.62 * rows + 1.6), layout="constrained")
    ax = fig.subplots()
    image = ax.imshow(100 * medians, cmap="viridis", vmin=50, vmax=100, aspect="auto")
    for r in range(rows):
        for c in range(columns):
            light = medians[r, c] < 0.8  # white text on the dark end of viridis
            ax.text(c, r, f"{medians[r, c]:.0%}\n{lows[r, c]:.0%}–{highs[r, c]:.0%}", ha="center",
                    va="center", fontsize=8, color="white" if light else "black")
    ax.set_xticks(np.arange(columns), column_labels)
    ax.set_yticks(np.arange(rows), row_labels)
    ax.set_xlabel(column_title)
    ax.set_ylabel(row_title)
    ax.tick_params(length=0)
    bar = fig.colorbar(image, ax=ax)
    bar.set_label("median final training accuracy (%)")
    ax.set_title(title, fontsize=10)
    return fig
