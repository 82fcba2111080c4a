"""Writing a figure to a file: the step the commands take after drawing (the drawing functions
only return their Figure).  A figure is written in the format its file's extension names (PNG,
PDF, SVG, JPEG, ...: ``writable_formats``); figures and GIFs are written whole or not at all
(backprop_lab.files)."""

import os
import shutil

import matplotlib
from matplotlib.animation import PillowWriter

from backprop_lab.files import atomic_path

DPI = 150
#: Formats matplotlib offers that need a program or a codec besides itself: (what, is it here?).
#: PGF measures its text with a TeX program; JPEG, WebP and AVIF are Pillow's codecs, which a
#: Pillow build may lack.
_NEEDS = {
    "pgf": lambda: shutil.which(matplotlib.rcParams["pgf.texsystem"]) is not None,
    "jpg": lambda: _pillow_has("jpg"), "jpeg": lambda: _pillow_has("jpg"),
    "webp": lambda: _pillow_has("webp"), "avif": lambda: _pillow_has("avif"),
}
#: What makes a file differ from run to run though the figure is the same: the date written into
#: PDF, PostScript and SVG files, and SVG's random ids (unless a salt is given).
_NO_DATE = {"pdf": {"CreationDate": None}, "ps": {"CreationDate": None}, "eps": {"CreationDate": None},
            "svg": {"Date": None}, "svgz": {"Date": None}}
_SVG_SALT = "backprop-lab"


def _pillow_has(feature):
    from PIL import features

    return bool(features.check(feature))


def figure_format(path):
    """The format a figure at ``path`` is written in: its extension in lower case ('run.PDF' ->
    'pdf'), or '' when it has none."""
    return os.path.splitext(os.fspath(path))[1][1:].lower()


def writable_formats():
    """The extensions a figure can be written as here, sorted: matplotlib's
    (``FigureCanvasBase.get_supported_filetypes``), without those whose program or codec is missing."""
    from matplotlib.backend_bases import FigureCanvasBase

    return sorted(f for f in FigureCanvasBase.get_supported_filetypes() if _NEEDS.get(f, lambda: True)())


def write_figure(figure, file, *, format, dpi=DPI, compress_level=None):
    """``figure`` in ``format`` (an extension of ``writable_formats``) at ``dpi`` into ``file`` (a
    path or a binary file).  ``compress_level`` is a PNG's zlib level (None: Pillow's default, 6;
    1 is three times as fast and about 25% larger).  The same figure gives the same bytes: no date
    in PDF, PostScript and SVG files, and SVG's ids from a fixed salt."""
    extra = {"pil_kwargs": {"compress_level": compress_level}} if format == "png" and compress_level is not None else {}
    if format in _NO_DATE:
        extra["metadata"] = _NO_DATE[format]
    with matplotlib.rc_context({"svg.hashsalt": _SVG_SALT}):
        figure.savefig(file, format=format, dpi=dpi, **extra)


def write_png(figure, file, *, dpi=DPI, compress_level=None):
    """``figure`` as a PNG (write_figure)."""
    write_figure(figure, file, format="png", dpi=dpi, compress_level=compress_level)


def png_writer(figure, *, dpi=DPI, compress_level=None):
    """A writer for backprop_lab.files.write_files / write_folder: ``figure`` as a PNG at the path it is given."""
    def write(path):
        write_png(figure, path, dpi=dpi, compress_level=compress_level)
    return write


def figure_writer(figure, path, *, dpi=DPI, compress_level=None):
    """A writer for backprop_lab.files.Outputs.file: ``figure`` in the format ``path``'s extension
    names (a PNG without one) at the path it is given; the figure is closed once written."""
    def write(tmp):
        try:
            write_figure(figure, tmp, format=figure_format(path) or "png", dpi=dpi, compress_level=compress_level)
        finally:
            close(figure)
    return write


def frames_writer(figure, show, frames, *, fps, dpi):
    """A writer for backprop_lab.files.Outputs.file: the GIF of save_frames at the path it is given."""
    def write(tmp):
        writer = PillowWriter(fps=fps)
        try:
            _write_frames(writer, figure, show, frames, tmp, dpi)
        finally:
            close(figure)
    return write


def _write_frames(writer, figure, show, frames, path, dpi):
    """The frames into ``path``, the file written only once every frame is grabbed (not by
    matplotlib's ``writer.saving``, whose cleanup would, after a signal before the first frame,
    fail on no frames with an IndexError that hides the signal)."""
    writer.setup(figure, path, dpi=dpi)
    with matplotlib.rc_context({"savefig.bbox": None}):
        for frame in range(frames):
            show(frame)
            writer.grab_frame()
        writer.finish()


def save(figure, path, *, dpi=DPI, compress_level=None):
    """Write ``figure`` at ``path`` in the format its extension names (write_figure; a PNG without
    one), whole or not at all; then close it."""
    try:
        with atomic_path(path) as tmp:
            write_figure(figure, tmp, format=figure_format(path) or "png", dpi=dpi, compress_level=compress_level)
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
        with atomic_path(path) as tmp:
            _write_frames(writer, figure, show, frames, tmp, dpi)
    finally:
        close(figure)
    return frames


def close(figure):
    """Let go of ``figure``: pyplot's hold on it, if it has one (a figure the user made with pyplot).
    The package's own figures (backprop_lab.figures.new) have none, so this costs nothing for them."""
    if getattr(figure.canvas, "manager", None) is not None:
        import matplotlib.pyplot as plt

        plt.close(figure)
