"""Many decision boundaries side by side (one panel each, backprop_lab.figures.boundary), with one
colour bar and one legend for all: a row per data set, a column per setting."""

import textwrap

from backprop_lab.figures.boundary import draw_boundary, draw_truth, legend_handles
from backprop_lab.figures.new import new_figure


def boundary_grid(rows, *, title, row_labels=None):
    """The Figure (not saved: see backprop_lab.figures.save).

    rows: a list (one per row) of lists of panels, each a dict with ``X``, ``Y``, ``plane``
    (boundary.Plane), ``image`` (y_hat over the plane, or None when the run diverged), ``title``,
    and optionally ``X_test``, ``Y_test``: held-out points, drawn as triangles.
    row_labels: a label per row, written left of its first panel (e.g. the data set).
    """
    n_rows, n_cols = len(rows), max(len(r) for r in rows)
    fig = new_figure(figsize=(max(2.2 * n_cols + 1.6, 7.0), 2.35 * n_rows + 1.0), layout="constrained")
    axes = fig.subplots(n_rows, n_cols, squeeze=False)
    image_artist = None
    for r, row in enumerate(rows):
        for c in range(n_cols):
            ax = axes[r, c]
            if c >= len(row):
                ax.set_visible(False)
                continue
            panel = row[c]
            if panel["image"] is None:
                draw_truth(ax, panel["X"], panel["Y"], plane=panel["plane"], X_test=panel.get("X_test"),
                           Y_test=panel.get("Y_test"), title=panel["title"])
                ax.text(0.5, 0.5, "diverged:\nno boundary", transform=ax.transAxes, ha="center",
                        va="center", fontsize=9, bbox=dict(facecolor="white", alpha=0.8))
            else:
                image_artist = draw_boundary(ax, panel["image"], panel["X"], panel["Y"], plane=panel["plane"],
                                             X_test=panel.get("X_test"), Y_test=panel.get("Y_test"),
                                             title=panel["title"], colorbar=False, axis_labels=False)
            # Titles placed by matplotlib (boundary.py pins them at TITLE_Y, for one panel): in a
            # grid they must clear the tick labels of the row above.
            ax.set_title(panel["title"], fontsize=8)
            ax.tick_params(labelsize=6)
            ax.locator_params(nbins=3)  # three ticks per side: legible, and quick to lay out
            ax.set_xlabel("x0" if r == n_rows - 1 else "", fontsize=7)
            if row_labels is None and r < n_rows - 1:  # one data set: the row below has the same x0 ticks
                ax.tick_params(labelbottom=False)
            label = "x1" if row_labels is None else f"{row_labels[r]}\n\nx1"
            ax.set_ylabel(label if c == 0 else "", fontsize=7 if row_labels is None else 8)
    if image_artist is not None:
        bar = fig.colorbar(image_artist, ax=axes, shrink=0.9 if n_rows <= 2 else max(0.3, 2.0 / n_rows), pad=0.01,
                           ticks=[0, 0.25, 0.5, 0.75, 1])
        bar.set_label("network output ŷ = P(class 1)", fontsize=8)
        bar.ax.tick_params(labelsize=7)
    # Legend below the panels, title (wrapped to the figure's width) above them: both "outside",
    # so that constrained layout keeps the panels clear of them.
    tested = any(len(p.get("X_test", ())) for row in rows for p in row)
    fig.legend(handles=legend_handles(tested), loc="outside lower center", ncol=4, fontsize=8)
    fig.suptitle(textwrap.fill(title, width=max(40, int(fig.get_figwidth() * 72 / (10 * 0.55)))), fontsize=10)
    return fig
