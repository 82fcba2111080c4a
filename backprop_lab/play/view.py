"""The playground in a notebook: controls, buttons and the live picture, as ipywidgets.

``backprop_lab.playground()`` returns a PlaygroundView; as a cell's value it shows itself.  Every
control resets both trainers to the seed's initial weights with the new settings (a data set
brings its recipe: backprop_lab.data.recipes); "one step" trains both for the chosen number of
epochs, the play button does so again and again, the reset button starts over.  The picture is a
PNG drawn by backprop_lab.play.picture and shown in an Image widget (no interactive matplotlib
backend is needed); the trace of the chosen sample is text in a scrolling box.

This is the only module of backprop-lab that imports ipywidgets (the ``notebook`` extra).
"""

import html
import time

import ipywidgets as widgets

from backprop_lab import options
from backprop_lab.data import DATASETS
from backprop_lab.play.model import Playground, parse_widths, with_recipe
from backprop_lab.play.picture import RESOLUTION, LivePicture, agreement

EPOCHS_PER_STEP = (1, 5, 10, 25, 50, 100, 250, 1000)
STEP_SIZES = (0.001, 0.003, 0.01, 0.03, 0.05, 0.1, 0.3, 1.0, 2.0, 3.0, 10.0, 30.0)
BATCH_SIZES = (1, 2, 4, 8, 16, 32, 64, 128, 256)
FULL_BATCH = 0  # the batch size control's value for the full batch (a Dropdown shows None as no choice)
INTERVAL_MS = 150  # between two frames while playing


def _described(widget, description):
    widget.description = description
    widget.style = {"description_width": "95px"}
    widget.layout = widgets.Layout(width="250px")
    return widget


class PlaygroundView:
    """The controls, the picture and the trace of one Playground (backprop_lab.play.model)."""

    def __init__(self, playground=None, *, resolution=RESOLUTION):
        self.model = playground or Playground()
        self.picture = LivePicture(self.model, resolution)
        self.last_frame_seconds = None  # the last step and redraw, for the status line
        self._frame_end = 0.0
        self._quiet = False  # set while the view itself changes controls, so they reset once
        config = self.model.config
        self.controls = {
            "dataset": _described(widgets.Dropdown(options=DATASETS, value=config.dataset), "data set"),
            "samples": _described(widgets.BoundedIntText(value=config.samples, min=4, max=2000), "points"),
            "noise": _described(widgets.FloatSlider(value=config.noise, min=0.0, max=0.5, step=0.05,
                                                    continuous_update=False), "noise"),
            "hidden": _described(widgets.Text(value=", ".join(map(str, config.hidden)), continuous_update=False),
                                 "hidden widths"),
            "activation": _described(widgets.Dropdown(options=options.ACTIVATIONS, value=config.activation),
                                     "activation"),
            "loss": _described(widgets.Dropdown(options=options.LOSSES, value=config.loss), "loss"),
            "optimizer": _described(widgets.Dropdown(options=options.OPTIMIZERS, value=config.optimizer),
                                    "optimizer"),
            "lr": _described(widgets.Dropdown(options=self._step_sizes(config.lr), value=config.lr), "step size"),
            "batch_size": _described(widgets.Dropdown(options=self._batch_sizes(),
                                                      value=config.batch_size or FULL_BATCH), "batch size"),
            "seed": _described(widgets.BoundedIntText(value=config.seed, min=0, max=2**32 - 1), "seed"),
            "exact": widgets.Checkbox(value=config.exact, description="exact mode (matrix_net in scalar_net's order)",
                                      indent=False, layout=widgets.Layout(width="330px")),
        }
        for name, control in self.controls.items():
            control.observe(self._dataset_changed if name == "dataset" else self._setting_changed, "value")
        self.epochs_per_step = _described(widgets.Dropdown(options=EPOCHS_PER_STEP, value=25), "epochs a step")
        self.step_button = widgets.Button(description="one step", icon="step-forward", tooltip="train both trainers")
        # The play widget is the clock (it ticks in the browser); the button shows it and says what it does.
        self.play = widgets.Play(interval=INTERVAL_MS, min=0, max=10**9, step=1, show_repeat=False,
                                 layout=widgets.Layout(display="none"))
        self.play_button = widgets.ToggleButton(description="play", icon="play", tooltip="train on and on")
        widgets.jslink((self.play_button, "value"), (self.play, "playing"))
        self.reset_button = widgets.Button(description="reset", icon="undo", tooltip="back to the initial weights")
        self.step_button.on_click(lambda _: self.frame(refresh_trace=True))
        self.reset_button.on_click(lambda _: self._reset(self.model.config))
        self.play.observe(self._tick, "value")
        self.play.observe(self._play_toggled, "playing")
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="960px", max_width="100%"))
        self.status = widgets.HTML()
        self.sample = _described(widgets.BoundedIntText(value=min(3, len(self.model.X) - 1), min=0,
                                                         max=len(self.model.X) - 1), "trace sample")
        self.sample.observe(self._sample_changed, "value")
        self.trace = widgets.HTML(layout=widgets.Layout(max_height="320px", overflow="auto", width="100%"))
        self.widget = self._layout()
        self._show_data_size()
        self.picture.sample = self.sample.value
        self.picture.update()
        self._redraw(refresh_trace=True)

    # What the view looks like --------------------------------------------------------------------
    def _layout(self):
        c = self.controls
        columns = [widgets.VBox([c["dataset"], c["samples"], c["noise"], c["seed"]]),
                   widgets.VBox([c["hidden"], c["activation"], c["loss"], c["exact"]]),
                   widgets.VBox([c["optimizer"], c["lr"], c["batch_size"], self.epochs_per_step])]
        hint = widgets.HTML("<span style='color:grey'>&nbsp; a changed setting starts both trainers again from the "
                            "seed's initial weights</span>")
        buttons = widgets.HBox([self.step_button, self.play_button, self.reset_button, hint, self.play])
        trace_help = widgets.HTML("<b>The traced sample's next step</b>: every number of its forward pass, loss, "
                                  "backward pass and gradient (scalar_net's), refreshed after a step and on pause.")
        return widgets.VBox([widgets.HBox(columns), buttons, self.image, self.status,
                             widgets.HBox([self.sample, trace_help]), self.trace])

    def _repr_mimebundle_(self, **kwargs):
        """Shown as the widget in Jupyter; as text elsewhere (GitHub's page of a notebook, a terminal)."""
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = "backprop-lab's playground (live widgets: run the cell in Jupyter to use it)"
        return bundle

    @staticmethod
    def _step_sizes(lr):
        return tuple(sorted(set(STEP_SIZES) | {float(lr)}))

    def _batch_sizes(self):
        n = len(self.model.X)
        return [("full batch", FULL_BATCH)] + [(str(b), b) for b in BATCH_SIZES if b < n]

    # What the controls do --------------------------------------------------------------------------
    def _config_from_controls(self):
        c = self.controls
        return dict(dataset=c["dataset"].value, samples=c["samples"].value, noise=c["noise"].value,
                    hidden=parse_widths(c["hidden"].value), activation=c["activation"].value, loss=c["loss"].value,
                    optimizer=c["optimizer"].value, lr=c["lr"].value, batch_size=c["batch_size"].value or None,
                    seed=c["seed"].value, exact=c["exact"].value)

    def _setting_changed(self, change=None):
        if self._quiet:
            return
        try:
            changes = self._config_from_controls()
        except ValueError as problem:
            self._show_problem(problem)
            return
        self._reset(self.model.config, **changes)

    def _dataset_changed(self, change):
        if self._quiet:
            return
        config = with_recipe(self.model.config, change["new"])
        self._set_controls(hidden=", ".join(map(str, config.hidden)), optimizer=config.optimizer, lr=config.lr,
                           samples=config.samples, batch_size=FULL_BATCH)
        self._setting_changed()

    def _set_controls(self, **values):
        self._quiet = True
        try:
            for name, value in values.items():
                if name == "lr":
                    self.controls["lr"].options = self._step_sizes(value)
                self.controls[name].value = value
        finally:
            self._quiet = False

    def _reset(self, config, **changes):
        self.play.playing = False
        try:
            self.model.reset(config, **changes)
        except ValueError as problem:
            self._show_problem(problem)
            return
        self._show_data_size()
        self._quiet = True
        try:
            self.controls["batch_size"].options = self._batch_sizes()
            self.controls["batch_size"].value = self.model.config.batch_size or FULL_BATCH
            self.sample.max = len(self.model.X) - 1
            self.sample.value = min(self.sample.value, self.sample.max)
        finally:
            self._quiet = False
        self.picture.sample = self.sample.value
        self.picture.reset()
        self._redraw(refresh_trace=True)

    def _show_data_size(self):
        """A set of fixed size (XOR's 21 points, a CSV file's) shows its size, and it cannot be changed."""
        fixed = self.model.config.dataset == "xor" or bool(self.model.config.data)
        self.controls["samples"].disabled = fixed
        if fixed:
            self._set_controls(samples=len(self.model.X))

    def _sample_changed(self, change):
        if self._quiet:
            return
        self.picture.sample = change["new"]
        self.picture.update()
        self._redraw(refresh_trace=True)

    def _tick(self, change):
        """One frame per tick of the play widget.  Ticks that queued up while a frame was being
        drawn arrive back to back and are dropped, so a pause is obeyed at once."""
        if not self.play.playing:
            return
        if time.perf_counter() - self._frame_end < 0.5 * INTERVAL_MS / 1000:
            return
        self.frame(refresh_trace=False)
        if self.model.diverged:
            self.play.playing = False

    def _play_toggled(self, change):
        playing = bool(change["new"])
        self.play_button.value = playing  # also when the kernel pauses it (a reset, a diverged run)
        self.play_button.description, self.play_button.icon = ("pause", "pause") if playing else ("play", "play")
        if not playing:  # paused: the trace catches up with the state
            self._show_trace()

    # Frames -------------------------------------------------------------------------------------
    def frame(self, refresh_trace=True):
        """Train both trainers for the chosen epochs and redraw; the time it took is shown."""
        start = time.perf_counter()
        self.model.step(self.epochs_per_step.value)
        self.picture.update()
        self.image.value = self.picture.png()
        self.last_frame_seconds = time.perf_counter() - start
        self._frame_end = time.perf_counter()
        self._show_status()
        if refresh_trace:
            self._show_trace()

    def _redraw(self, refresh_trace):
        self.image.value = self.picture.png()
        self._show_status()
        if refresh_trace:
            self._show_trace()

    def _show_status(self):
        model = self.model
        lines = []
        for name, run in model.runs.items():
            if run.diverged_at is not None:
                lines.append(f"<span style='color:#b00'><b>{name}</b> diverged at epoch {run.diverged_at}: its loss "
                             "or a parameter is no longer finite; try a smaller step size, then reset</span>")
            elif run.epochs:
                lines.append(f"<b>{name}</b>: epoch {run.epochs}, loss {run.loss[-1]:.4g}, "
                             f"accuracy {run.accuracy[-1]:.0%}")
            else:
                lines.append(f"<b>{name}</b>: the initial weights (seed {model.config.seed}), not trained yet")
        lines.append(html.escape(agreement(model)))
        if self.last_frame_seconds is not None:
            lines.append(f"<span style='color:grey'>the last step and redraw took "
                         f"{1000 * self.last_frame_seconds:.0f} ms</span>")
        self.status.value = "<br>".join(lines)

    def _show_problem(self, problem):
        self.status.value = f"<span style='color:#b00'>{html.escape(str(problem))}</span> (the playground kept its state)"

    def _show_trace(self):
        text = self.model.trace(self.sample.value)
        self.trace.value = f"<pre style='font-size:11.5px; line-height:1.3; margin:0'>{html.escape(text)}</pre>"


def playground(**changes):
    """A PlaygroundView of ``Playground(**changes)``: backprop_lab.playground's view."""
    return PlaygroundView(Playground(**changes))
