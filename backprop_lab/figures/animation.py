"""The decision boundary and the loss curve as training goes on: one frame per snapshot of the
parameters (the command takes a snapshot every so many epochs).

``build_animation`` returns the Figure and the function that turns it into frame f; the command
writes the frames to a GIF (backprop_lab.figures.save.save_frames), and ``animation`` wraps the
same two in a matplotlib FuncAnimation, which a notebook plays with ``to_jshtml()``.
"""

import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.contour import ContourSet
from matplotlib.ticker import LogFormatter

from backprop_lab.conventions import DECISION_THRESHOLD
from backprop_lab.figures.boundary import TITLE_Y, draw_boundary, legend_handles
from backprop_lab.figures.logscale import drawable, log_scale
from backprop_lab.figures.new import new_figure

FRAMES = 40  # snapshots over a run (plus the start)
FPS = 8
#: Frames of 950 x 475 px, whose 10-point tick labels are 17 px high: 41 frames of the spiral take
#: about 2 MB (at 72 dpi they were 748 x 331 px with 10-px labels, 1.3 MB).
FIGSIZE = (7.6, 3.8)  # inches
DPI = 125


def snapshot_every(epochs, frames=FRAMES):
    """Epochs between two snapshots, so that a run of ``epochs`` gives about ``frames`` frames."""
    return max(1, epochs // frames)


def build_animation(plane, images, X, Y, loss, *, name="matrix_net", title="", X_test=None, Y_test=None):
    """(Figure, show): ``show(f)`` turns the figure into frame f, which shows y_hat ``images[f]`` = (epoch, (ny, nx) image) over
    ``plane`` beside the loss curve ``loss`` ((epochs,) training losses) drawn up to that epoch."""
    fig = new_figure(figsize=FIGSIZE, layout="constrained")
    ax_map, ax_loss = fig.subplots(1, 2, width_ratios=(1.15, 1))
    fig.get_layout_engine().set(wspace=0.08)  # room between the colour bar's label and the loss axis
    test = dict(X_test=X_test, Y_test=Y_test) if X_test is not None and len(X_test) else {}
    first_epoch, first = images[0]
    artist = draw_boundary(ax_map, first, X, Y, plane=plane, colorbar=True, **test)
    # Below the panels, where it hides no point (inside the map it hid the corner (0, 1) of XOR).
    fig.legend(handles=legend_handles(bool(test)), loc="outside lower center", ncols=4, fontsize="small",
               frameon=False)
    epochs = np.arange(1, len(loss) + 1)
    ax_loss.plot(epochs, drawable(loss), color="lightgrey", lw=1.0, label="whole run")
    line, = ax_loss.plot([], [], color="tab:purple", lw=1.8, label=f"{name}, so far")
    log_scale(ax_loss)
    ax_loss.yaxis.set_major_formatter(LogFormatter(labelOnlyBase=True))  # plain text: no TeX per frame
    ax_loss.yaxis.set_minor_formatter(LogFormatter(labelOnlyBase=False, minor_thresholds=(2, 0.5)))
    ax_loss.set_xlabel("epoch")
    ax_loss.set_ylabel("training loss (log scale)")
    ax_loss.set_title("Loss", y=TITLE_Y)
    ax_loss.grid(True, alpha=0.3)
    ax_loss.legend(fontsize="small")
    heading = fig.suptitle("", fontsize="medium")
    contour = [c for c in ax_map.get_children() if isinstance(c, ContourSet)]  # the 0.5 line, redrawn per frame

    def show(frame):
        epoch, image = images[frame]
        artist.set_data(image)
        for c in contour:
            c.remove()
        contour.clear()
        if image.min() < DECISION_THRESHOLD < image.max():
            contour.append(ax_map.contour(plane.x0, plane.x1, image, levels=[DECISION_THRESHOLD],
                                          colors="black", linewidths=1.5))
        line.set_data(epochs[:epoch], drawable(loss[:epoch]))
        ax_map.set_title(f"{name}: ŷ after {epoch} epochs", y=TITLE_Y)
        heading.set_text(title)

    show(0)
    fig.draw_without_rendering()  # lay the figure out once, for the first frame ...
    # ... and keep that layout: re-solving it for every frame took 90% of the time.  None, not
    # "none": with a placeholder engine left in place, savefig walks the figure once more per frame.
    fig.set_layout_engine(None)
    return fig, show


def animation(plane, images, X, Y, loss, **kwargs):
    """The frames of ``build_animation`` (same arguments) as a matplotlib FuncAnimation at FPS, for
    a notebook: ``IPython.display.HTML(animation(...).to_jshtml())`` plays it in the page."""
    fig, show = build_animation(plane, images, X, Y, loss, **kwargs)
    return FuncAnimation(fig, show, frames=len(images), interval=1000 / FPS)
