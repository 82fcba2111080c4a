"""Many decision boundaries side by side (one panel each, backprop_lab.figures.boundary; a panel of
K classes, backprop_lab.figures.classes), with one colour bar (of the two-class panels) and one
legend for all: a row per data set, a column per setting.

The grid is laid out here, in inches, from the measured sizes of its texts, not by matplotlib's
constrained layout.  That layout places panels of a fixed aspect from where its previous pass
left them; in a row of three under a two-line title it ran the title into the panel titles and
the legend into the x-axis labels.  Laying out by hand also costs no drawing time (the
constrained layout was about half of it).
"""


import matplotlib
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path

from backprop_lab.figures import classes
from backprop_lab.figures.boundary import _frame, draw_boundary, draw_truth, legend_handles
from backprop_lab.figures.new import new_figure

PANEL = 2.0  # inches: a panel's width, and its height for a square plane
EDGE = 0.1  # inches: the margin at the figure's edges
GAP = 0.1  # inches: between a panel's texts and the next panel, title or legend
BAR_WIDTH = 0.12  # inches: the colour bar's
#: Font sizes, in points.
TITLE_SIZE, PANEL_TITLE_SIZE, TICK_SIZE, LABEL_SIZE, ROW_LABEL_SIZE = 10, 8, 6, 7, 8
LEGEND_SIZE, BAR_TICK_SIZE, BAR_LABEL_SIZE = 8, 7, 8
BAR_TICKS = (0, 0.25, 0.5, 0.75, 1)
BAR_LABEL = "network output ŷ = P(class 1)"
WIDEST_TICK = "−1.5"  # the widest tick label of a plane (three ticks per side: -1.5, 0, 1.5 at most)
LINE_SPACING = 1.2  # matplotlib's, in font sizes


def _inches(points):
    return points / 72


def _text_width(text, size):
    """The width of ``text`` (its widest line) in ``size``-point type, in inches."""
    font = FontProperties(size=size)
    return max(_inches(text_to_path.get_text_width_height_descent(line, font, ismath=False)[0])
               for line in text.split("\n"))


def _text_height(text, size):
    """The height of ``text``'s lines in ``size``-point type, in inches (a line is 1.2 sizes)."""
    return _inches((text.count("\n") + 1) * LINE_SPACING * size)


def _wrap(text, width, size):
    """``text`` broken into lines of at most ``width`` inches."""
    lines = []
    for word in text.split():
        if lines and _text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return "\n".join(lines)


def _tick_depth(labels, size):
    """Inches from an axis to the far side of its tick labels (or of its ticks alone)."""
    rc = matplotlib.rcParams
    return _inches(rc["xtick.major.size"] + (rc["xtick.major.pad"] + LINE_SPACING * size if labels else 0))


def _label_depth(text, size):
    """Inches an axis label takes beyond the tick labels."""
    return _inches(matplotlib.rcParams["axes.labelpad"]) + _text_height(text, size)


def _legend_size(handles):
    """(width, height) in inches of a one-row figure legend of ``handles`` at LEGEND_SIZE: the
    texts plus matplotlib's default handle length, paddings and column spacing (in font sizes)."""
    rc, em = matplotlib.rcParams, _inches(LEGEND_SIZE)
    texts = sum(_text_width(h.get_label(), LEGEND_SIZE) for h in handles)
    per_entry = (rc["legend.handlelength"] + rc["legend.handletextpad"]) * em
    width = (texts + len(handles) * per_entry + (len(handles) - 1) * rc["legend.columnspacing"] * em
             + 2 * (rc["legend.borderpad"] + rc["legend.borderaxespad"]) * em)
    height = (LINE_SPACING + 2 * rc["legend.borderpad"]) * em + 2 * rc["legend.borderaxespad"] * em
    return width, height


def _panel_height(panel):
    """Inches a panel's plane needs at PANEL wide, its scales equal (a wide plane is shorter)."""
    x0, x1, y0, y1 = panel["plane"].extent
    return PANEL * min(1.0, (y1 - y0) / (x1 - x0))


def boundary_grid(rows, *, title, row_labels=None):
    """The Figure (not saved: see backprop_lab.figures.save).

    rows: a list (one per row) of lists of panels, each a dict with ``X``, ``Y``, ``plane``
    (boundary.Plane), ``image`` (y_hat over the plane, or None when the run diverged), ``title``,
    and optionally ``X_test``, ``Y_test``: held-out points, drawn as triangles.  A panel of K >= 3
    classes has ``classes`` (K) and ``probabilities`` ((ny * nx, K) over the plane, or None when
    the run diverged) in place of ``image``.
    row_labels: a label per row, written left of its first panel (e.g. the data set).

    Every panel has its own y tick labels; x tick labels and the x0 label go under a panel with
    no panel below it (with row_labels, whose rows are different data sets, under every panel).
    """
    n_rows, n_cols = len(rows), max(len(r) for r in rows)

    def shows_x(r, c):
        return row_labels is not None or r == n_rows - 1 or c >= len(rows[r + 1])

    def y_label(r):
        return "x1" if row_labels is None else f"{row_labels[r]}\n\nx1"

    # Horizontal: left labels and ticks, the panels (each with its y tick labels), the colour bar.
    y_ticks = _tick_depth(True, 0) + _text_width(WIDEST_TICK, TICK_SIZE)
    y_label_width = max(_label_depth(y_label(r), ROW_LABEL_SIZE if row_labels else LABEL_SIZE)
                        for r in range(n_rows))
    widest_title = max(_text_width(p["title"], PANEL_TITLE_SIZE) for row in rows for p in row)
    pitch = max(PANEL + GAP + y_ticks, widest_title + GAP)  # from one panel's left edge to the next's
    bar_width = (GAP + BAR_WIDTH + _tick_depth(True, 0) + _text_width("0.75", BAR_TICK_SIZE)
                 + _label_depth(BAR_LABEL, BAR_LABEL_SIZE) + EDGE)
    tested = any(len(p.get("X_test", ())) for row in rows for p in row)
    handles = _handles(rows, tested)
    legend_width, legend_height = _legend_size(handles)
    grid_width = EDGE + y_label_width + y_ticks + (n_cols - 1) * pitch + PANEL + bar_width
    width = max(grid_width, legend_width + 2 * EDGE)
    left = EDGE + y_label_width + y_ticks + (width - grid_width) / 2  # the first panel's left edge

    # Vertical, from the top: the title, then per row its panel titles, panels and tick labels.
    wrapped = _wrap(title, width - 2 * EDGE, TITLE_SIZE)
    title_pad = _inches(matplotlib.rcParams["axes.titlepad"])
    row_tops, row_heights, y = [], [], EDGE + _text_height(wrapped, TITLE_SIZE) + GAP
    for r, row in enumerate(rows):
        y += max(_text_height(p["title"], PANEL_TITLE_SIZE) for p in row) + title_pad
        row_tops.append(y)
        row_heights.append(max(_panel_height(p) for p in row))
        below = max(_tick_depth(shows_x(r, c), TICK_SIZE) + (_label_depth("x0", LABEL_SIZE) if shows_x(r, c) else 0)
                    for c in range(len(row)))
        y += row_heights[-1] + below + GAP
    height = y + legend_height + EDGE

    fig = new_figure(figsize=(width, height))
    image_artist = None
    for r, row in enumerate(rows):
        for c, panel in enumerate(row):
            ax = fig.add_axes(((left + c * pitch) / width, 1 - (row_tops[r] + row_heights[r]) / height,
                               PANEL / width, row_heights[r] / height))
            if "classes" in panel:
                _class_panel(ax, panel)
            elif panel["image"] is None:
                draw_truth(ax, panel["X"], panel["Y"], plane=panel["plane"], X_test=panel.get("X_test"),
                           Y_test=panel.get("Y_test"), title=panel["title"])
                _diverged(ax)
            else:
                image_artist = draw_boundary(ax, panel["image"], panel["X"], panel["Y"], plane=panel["plane"],
                                             X_test=panel.get("X_test"), Y_test=panel.get("Y_test"),
                                             title=panel["title"], colorbar=False, axis_labels=False)
            ax.set_title(panel["title"], fontsize=PANEL_TITLE_SIZE)
            ax.tick_params(labelsize=TICK_SIZE)
            ax.locator_params(nbins=3)  # three ticks per side: legible, and quick to draw
            ax.set_xlabel("x0" if shows_x(r, c) else "", fontsize=LABEL_SIZE)
            ax.tick_params(labelbottom=shows_x(r, c))
            ax.set_ylabel(y_label(r) if c == 0 else "", fontsize=ROW_LABEL_SIZE if row_labels else LABEL_SIZE)
    if image_artist is not None:
        top, bottom = row_tops[0], row_tops[-1] + row_heights[-1]
        span = (bottom - top) * (0.9 if n_rows <= 2 else max(0.3, 2.0 / n_rows))
        cax = fig.add_axes(((left + (n_cols - 1) * pitch + PANEL + GAP) / width,
                            1 - ((top + bottom) / 2 + span / 2) / height, BAR_WIDTH / width, span / height))
        bar = fig.colorbar(image_artist, cax=cax, ticks=list(BAR_TICKS))
        bar.set_label(BAR_LABEL, fontsize=BAR_LABEL_SIZE)
        bar.ax.tick_params(labelsize=BAR_TICK_SIZE)
    fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, EDGE / height), ncol=len(handles),
               fontsize=LEGEND_SIZE)
    fig.suptitle(wrapped, fontsize=TITLE_SIZE, y=1 - EDGE / height, va="top")
    return fig


def _diverged(ax):
    ax.text(0.5, 0.5, "diverged:\nno boundary", transform=ax.transAxes, ha="center", va="center", fontsize=9,
            bbox=dict(facecolor="white", alpha=0.8))


def _class_panel(ax, panel):
    """A panel of K classes: the plane in the predicted class's colour, or its points alone."""
    if panel["probabilities"] is not None:
        classes.draw_classes(ax, panel["probabilities"], panel["X"], panel["Y"], plane=panel["plane"],
                             X_test=panel.get("X_test"), labels_test=panel.get("Y_test"))
        return
    classes.scatter_classes(ax, panel["X"], panel["Y"], panel["classes"])
    if len(panel.get("X_test", ())):
        classes.scatter_classes(ax, panel["X_test"], panel["Y_test"], panel["classes"], test=True)
    _frame(ax, panel["plane"])
    _diverged(ax)


def _handles(rows, tested):
    """The legend: the two classes' entries if a panel has two, the K classes' if one has K (in
    their own colours, named as such where both kinds share the grid), the boundary last."""
    panels = [p for row in rows for p in row]
    K = max((p["classes"] for p in panels if "classes" in p), default=0)
    two = legend_handles(tested) if any("classes" not in p for p in panels) else []
    if not K:
        return two
    many = classes.legend_handles(K, tested and not two)[:-1]  # one held-out marker and one boundary line
    if two:
        for handle in many:
            handle.set_label(f"{handle.get_label()} of {K}")
        two[-1].set_label(f"boundary (ŷ = 0.5; of {K} classes, where the class changes)")
        return [*two[:-1], *many, two[-1]]
    return [*many, classes.legend_handles(K, False)[-1]]
