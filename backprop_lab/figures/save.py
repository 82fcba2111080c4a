"""Writing a figure to a file: the step the commands take after drawing (the drawing functions
only return their Figure).  PNGs and GIFs are written whole or not at all (backprop_lab.files)."""

from matplotlib.animation import PillowWriter

from backprop_lab.files import atomic_path

DPI = 150


def write_png(figure, file, *, dpi=DPI, compress_level=None):
    """``figure`` as a PNG at ``dpi`` into ``file`` (a path or a binary file); ``compress_level``
    is zlib's level (None: Pillow's default, 6; 1 is three times as fast and about 25% larger)."""
    extra = {} if compress_level is None else {"pil_kwargs": {"compress_level": compress_level}}
    figure.savefig(file, format="png", dpi=dpi, **extra)


def png_writer(figure, *, dpi=DPI, compress_level=None):
    """A writer for backprop_lab.files.write_files / write_folder: ``figure`` as a PNG at the path it is given."""
    def write(path):
        write_png(figure, path, dpi=dpi, compress_level=compress_level)
    return write


def save(figure, path, *, dpi=DPI, compress_level=None):
    """Write ``figure`` as a PNG at ``path`` (as write_png does), whole or not at all; then close it."""
    try:
        with atomic_path(path) as tmp:
            write_png(figure, tmp, dpi=dpi, compress_level=compress_level)
    finally:
        close(figure)


def save_frames(figure, show, frames, path, *, fps, dpi):
    """Write a GIF at ``path``, whole or not at all: frame f is ``figure`` after ``show(f)``, for f in
    range(frames); then close the figure.  Return ``frames``.

    The frames go straight to matplotlib's PillowWriter, one drawing each (FuncAnimation.save
    on a figure with an Agg canvas drew each one twice).
    """
    writer = PillowWriter(fps=fps)
    try:
        with atomic_path(path) as tmp, writer.saving(figure, tmp, dpi=dpi):
            for frame in range(frames):
                show(frame)
                writer.grab_frame()
    finally:
        close(figure)
    return frames


def close(figure):
    """Let go of ``figure``: pyplot's hold on it, if it has one (a figure the user made with pyplot).
    The package's own figures (backprop_lab.figures.new) have none, so this costs nothing for them."""
    if getattr(figure.canvas, "manager", None) is not None:
        import matplotlib.pyplot as plt

        plt.close(figure)
