"""The playground's live picture: both trainers' decision boundaries and their loss curves.

One matplotlib Figure, drawn by the Agg canvas into PNG bytes (so it needs no backend and no
screen), made once and then updated.  Drawing every tick label and title anew took most of a
frame (a third of a second on a busy 2-core machine), so a frame draws only what changes: the
parts that stay (axes, ticks, labels, titles, colour bar) are rendered once and kept as a
background, and each frame pastes it back and draws the boundary images, their 0.5 contours, the
points and the loss lines over it ("blitting"); the numbers that change every frame (epoch,
accuracy, the trainers' difference) are the view's text, beside the picture.  The whole figure is rendered again only when the
loss axes must grow (their limits move in steps: decades and 1-2-5 epoch counts) or the data
change.  The boundary is computed on a coarse grid (``RESOLUTION`` points a side, shaded smoothly
by the image's interpolation).  Colours and markers are the figures' (backprop_lab.figures).
"""

import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter

from backprop_lab.conventions import DECISION_THRESHOLD
from backprop_lab.play.model import TRAINERS

RESOLUTION = 60  # grid points per side for the live boundary (the figures' files use 200)
DPI = 96
PNG_COMPRESSION = 1  # zlib level 1: a third of the default's time, a slightly larger image


class LivePicture:
    """The picture of a Playground (backprop_lab.play.model), redrawn by ``update()``.

    ``png()`` renders it; ``sample``, if not None, is the point circled on both boundaries (the
    one whose trace is shown).
    """

    def __init__(self, playground, resolution=RESOLUTION):
        from backprop_lab.figures.boundary import CMAP, TITLE_Y
        from backprop_lab.figures.curves import TRAINER_STYLES

        self.playground, self.resolution, self.sample = playground, resolution, None
        self.figure = Figure(figsize=(10.0, 3.8), dpi=DPI)
        FigureCanvasAgg(self.figure)
        # Placed by hand (fractions of the figure): two boundary panels, their colour bar, the loss panel.
        bottom, height = 0.12, 0.65
        self.boundary_axes = {name: self.figure.add_axes((left, bottom, 0.255, height))
                              for left, name in zip((0.055, 0.325), TRAINERS)}
        colour_axes = self.figure.add_axes((0.59, bottom, 0.012, height))
        self.loss_axes = self.figure.add_axes((0.7, bottom, 0.265, height))
        self.images, self.points, self.circles, self.titles, self.contours = {}, {}, {}, {}, {}
        blank = np.full((2, 2), 0.5)
        for name, ax in self.boundary_axes.items():
            self.images[name] = ax.imshow(blank, origin="lower", cmap=CMAP, vmin=0.0, vmax=1.0, aspect="auto",
                                          interpolation="bilinear")
            self.points[name] = ax.scatter([], [], s=20, edgecolors="black", linewidths=0.5, zorder=3)
            self.circles[name], = ax.plot([], [], ls="", marker="o", markersize=11, markerfacecolor="none",
                                          markeredgecolor="black", markeredgewidth=2.0, zorder=4)
            self.titles[name] = ax.set_title(name, y=TITLE_Y, fontsize="small")
            self.contours[name] = None
            ax.set_xlabel("x0")
            ax.xaxis.set_major_locator(MaxNLocator(4))
            ax.yaxis.set_major_locator(MaxNLocator(4))
        self.boundary_axes[TRAINERS[0]].set_ylabel("x1")
        self.boundary_axes[TRAINERS[1]].tick_params(labelleft=False)
        bar = self.figure.colorbar(self.images[TRAINERS[0]], cax=colour_axes, ticks=[0, 0.5, 1])
        bar.set_label("ŷ = P(class 1)", labelpad=2)
        self.lines = {name: self.loss_axes.plot([], [], lw=1.6, label=name, **TRAINER_STYLES[name])[0]
                      for name in TRAINERS}
        self.loss_axes.set_yscale("log")
        # Plain-text tick labels (matplotlib's default typesets each as math): 0.001, 0.002, 0.005, ...
        self.loss_axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
        self.loss_axes.yaxis.set_minor_locator(LogLocator(subs=(2.0, 5.0)))
        self.loss_axes.set_xlabel("epoch")
        self.loss_axes.set_title("training loss (log scale)", y=TITLE_Y, fontsize="small")
        self.loss_axes.grid(True, alpha=0.3)
        self.loss_axes.legend(fontsize="small", loc="upper right")
        self.heading = self.figure.suptitle("", fontsize="medium", y=0.985, va="top")
        self.figure.text(0.5, 0.915, "dots: the points in their class's colour (class 0 red, class 1 blue) · shading: ŷ · "
                         "black line: ŷ = 0.5, where the predicted class changes · ringed: the traced sample",
                         ha="center", va="top", fontsize="small", color="dimgrey")
        self._limits, self._background = None, None
        self.reset()

    def reset(self):
        """Lay the picture out for the playground's current data (after its reset)."""
        from backprop_lab.figures.boundary import CLASS_COLOURS, Plane

        model = self.playground
        self.plane = Plane.around(model.X, bounds=model.bounds, resolution=self.resolution)
        colours = np.array(CLASS_COLOURS)[(model.Y[:, 0] > DECISION_THRESHOLD).astype(int)]
        size = float(np.clip(2400 / len(model.X), 7, 30))
        for name, ax in self.boundary_axes.items():
            self.images[name].set_extent(self.plane.extent)
            self.points[name].set_offsets(model.X)
            self.points[name].set_facecolors(colours)
            self.points[name].set_sizes([size])
            ax.set_xlim(self.plane.x0[0], self.plane.x0[-1])
            ax.set_ylim(self.plane.x1[0], self.plane.x1[-1])
        self.heading.set_text(describe(model))
        for name in TRAINERS:
            exact = " (exact mode)" if name == "matrix_net" and model.config.exact else ""
            self.titles[name].set_text(f"{name}{exact}: ŷ over the plane")
        self._background = None
        self.update()

    def update(self):
        """Redraw from the playground's current state: boundaries, 0.5 contours, loss curves, titles."""
        model = self.playground
        outputs = model.outputs(self.plane.points)
        circled = model.X[[self.sample]] if self.sample is not None else np.zeros((0, 2))
        for name, ax in self.boundary_axes.items():
            image = self.plane.image(outputs[name])
            self.images[name].set_data(image)
            if self.contours[name] is not None:
                self.contours[name].remove()
                self.contours[name] = None
            finite = image[np.isfinite(image)]  # a diverged network's ŷ may be NaN
            if finite.size and finite.min() < DECISION_THRESHOLD < finite.max():  # a boundary: where ŷ crosses 0.5
                self.contours[name] = ax.contour(self.plane.x0, self.plane.x1, image, levels=[DECISION_THRESHOLD],
                                                 colors="black", linewidths=1.5)
            self.circles[name].set_data(circled[:, 0], circled[:, 1])
        for name, line in self.lines.items():
            loss = model.runs[name].loss
            line.set_data(np.arange(1, len(loss) + 1), loss)
        limits = loss_limits(model)
        if limits != self._limits:
            self.loss_axes.set_xlim(*limits[0])
            self.loss_axes.set_ylim(*limits[1])
            decades = np.log10(limits[1][1] / limits[1][0])  # 2 and 5 labelled too, within two decades
            self.loss_axes.yaxis.set_minor_formatter(
                self.loss_axes.yaxis.get_major_formatter() if decades <= 2 else NullFormatter())
            self._limits, self._background = limits, None

    def _dynamic(self):
        """The artists that change from frame to frame, in drawing order."""
        artists = []
        for name, ax in self.boundary_axes.items():
            artists += [self.images[name]] + ([self.contours[name]] if self.contours[name] is not None else [])
            artists += [self.points[name], self.circles[name], *ax.spines.values()]
        return artists + list(self.lines.values())

    def render(self):
        """Render the figure into the canvas: the kept background and the changing artists over it."""
        canvas = self.figure.canvas
        if self._background is None:
            dynamic = self._dynamic()
            for artist in dynamic:
                artist.set_visible(False)
            canvas.draw()
            self._background = canvas.copy_from_bbox(self.figure.bbox)
            for artist in dynamic:
                artist.set_visible(True)
        canvas.restore_region(self._background)
        for artist in self._dynamic():
            self.figure.draw_artist(artist)

    def png(self):
        """The picture as PNG bytes."""
        from PIL import Image

        self.render()
        canvas, buffer = self.figure.canvas, io.BytesIO()
        width, height = canvas.get_width_height(physical=True)
        # the canvas's own pixels, not a copy (a copy cost a tenth of the frame)
        Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).save(
            buffer, format="png", compress_level=PNG_COMPRESSION)
        return buffer.getvalue()


def loss_limits(model):
    """((x_min, x_max), (y_min, y_max)) of the loss axes: epochs up to the next 1, 2 or 5 times a
    power of ten, losses between whole decades, so that the limits change rarely."""
    epochs = max(model.epochs, 1)
    scale = 10 ** int(np.floor(np.log10(epochs)))
    top = next(step * scale for step in (1, 2, 5, 10) if step * scale >= epochs)
    losses = np.concatenate([run.loss for run in model.runs.values()])
    losses = losses[np.isfinite(losses) & (losses > 0)]
    if not len(losses):
        return (0, top), (1e-3, 1.0)
    low, high = np.floor(np.log10(losses.min())), np.ceil(np.log10(losses.max()))
    return (0, top), (10.0 ** low, 10.0 ** max(high, low + 1))


def describe(model):
    """The picture's heading: the data and the network (it changes only with a reset)."""
    config = model.config
    sizes = "-".join(str(s) for s in config.sizes)
    batch = "full batch" if config.batch_size is None else f"batches of {config.batch_size}"
    noise = f" (noise {config.noise:g})" if config.noise else ""
    return (f"{config.data_name}{noise}, {len(model.X)} points · {sizes} network, {config.activation} · "
            f"{config.loss} · {config.optimizer}, step size {config.lr:g} · {batch} · seed {config.seed}")


def agreement(model):
    """How far apart the two trainers' networks are, in words: the lesson's number."""
    difference = model.max_param_difference()
    said = "largest |scalar_net − matrix_net| over the parameters:"
    if not np.isfinite(difference):
        return f"{said} not a number: a run diverged, and its parameters are no longer finite"
    if model.config.exact:
        return f"{said} {'0: the same bits' if difference == 0 else f'{difference:.3g}: NOT the same bits'} (exact mode)"
    if difference == 0:
        return f"{said} 0 so far (BLAS mode sums in another order: rounding moves them apart as they train)"
    return f"{said} {difference:.3g} (BLAS mode: rounding, since NumPy's matrix product sums in another order)"
