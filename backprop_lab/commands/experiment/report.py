"""What ``backprop-lab experiment`` writes and prints: the table, report.md and its figures."""

import math

import numpy as np

from backprop_lab import data
from backprop_lab.commands.experiment import links, statistics
from backprop_lab.commands.experiment.planning import describe
from backprop_lab.config import held_out, prepare
from backprop_lab.data.shapes import GAUSSIAN_SPREAD, SPIRAL_TURNS
from backprop_lab.formatting import markdown_table

COLUMNS = ("final loss: median (range)", "final accuracy: median (range)", "reached 100%",
           "epoch of 100%: median", "diverged")


def loss_text(x):
    return "∞" if math.isinf(x) else f"{x:.3g}"


def percent(x):
    """An accuracy in [0, 1] as a percentage: whole numbers without decimals (21 points: 95.2%)."""
    value = 100 * x
    return f"{value:.0f}%" if abs(value - round(value)) < 1e-9 else f"{value:.1f}%"


def _testing(plan):
    return plan.config(plan.settings[0], plan.datasets[0], plan.seeds[0]).test_fraction > 0


def test_cell(s):
    if s.test_accuracy_median is None:
        return "-"
    return f"{percent(s.test_accuracy_median)} ({percent(s.test_accuracy_min)} to {percent(s.test_accuracy_max)})"


def row(label, s, testing=False):
    """One table row for Summary ``s`` (with ``testing``, the held-out accuracy after the training one)."""
    return (label,
            f"{loss_text(s.loss_median)} ({loss_text(s.loss_min)} to {loss_text(s.loss_max)})",
            f"{percent(s.accuracy_median)} ({percent(s.accuracy_min)} to {percent(s.accuracy_max)})",
            *((test_cell(s),) if testing else ()),
            f"{s.reached_100} of {s.runs}",
            "-" if s.epoch_100_median is None else f"{s.epoch_100_median:g}",
            f"{s.diverged} of {s.runs}" + (f" (epochs {', '.join(map(str, s.diverged_epochs))})"
                                           if s.diverged else ""))


def columns(plan):
    """The table's header: the first column is what the experiment varies."""
    columns_ = list(COLUMNS)
    if _testing(plan):
        columns_.insert(2, "held-out accuracy: median (range)")
    return (plan.experiment.legend.replace("\n", " "), *columns_)


def rows(plan, grouped, dataset):
    return [row(setting.label(plan.experiment, plan.shape), grouped[(dataset, setting.text)][0], _testing(plan))
            for setting in plan.settings]


def text_table(header, body):
    """The table for the terminal: columns padded to their widest cell."""
    widths = [max(len(str(cells[i])) for cells in [header, *body]) for i in range(len(header))]
    return "\n".join("  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()
                     for cells in [header, *body])


def pivot(plan, grouped):
    """The ``table`` experiment's table: a row per setting, a column per data set, final accuracy."""
    header = ("activation", *plan.datasets)
    body = []
    for setting in plan.settings:
        cells = [setting.label(plan.experiment, plan.shape)]
        for dataset in plan.datasets:
            s = grouped[(dataset, setting.text)][0]
            cells.append(f"{percent(s.accuracy_median)} ({percent(s.accuracy_min)} to {percent(s.accuracy_max)})"
                         + (f"; held out {test_cell(s)}" if _testing(plan) else "")
                         + (f", {s.diverged} diverged" if s.diverged else ""))
        body.append(cells)
    return header, body


def terminal_tables(plan, grouped):
    """What the terminal shows at the end."""
    if plan.experiment.over_datasets:
        return "final training accuracy, median (range) over the seeds\n" + text_table(*pivot(plan, grouped))
    return text_table(columns(plan), rows(plan, grouped, plan.datasets[0]))


# ---------------------------------------------------------------------------------------------
# Figures


def _epochs(plan):
    return plan.config(plan.settings[0], plan.datasets[0], plan.seeds[0]).epochs


def _describe_data(config):
    return f"{describe(config)} ({data.size(config.dataset, config.samples)} points)"


def planes(plan):
    """The data sets whose points lie in the plane (two inputs), whose boundaries are drawn: not the digits."""
    return [d for d in plan.datasets if plan.config(plan.settings[0], d, plan.seeds[0]).inputs == 2]


def _curves_figure(plan, grouped, dataset):
    from backprop_lab.figures.seed_curves import learning_curves

    epochs = _epochs(plan)
    settings = []
    for setting in plan.settings:
        summary, runs = grouped[(dataset, setting.text)]
        settings.append({"label": setting.label(plan.experiment, plan.shape), "runs": summary.runs,
                         "diverged_epochs": summary.diverged_epochs,
                         "loss": statistics.band(statistics.curves(runs, epochs, "loss")),
                         "accuracy": statistics.band(statistics.curves(runs, epochs, "accuracy"))})
    config = plan.config(plan.settings[0], dataset, plan.seeds[0])
    title = (f"{plan.experiment.question}   {_describe_data(config)}, "
             f"{len(plan.seeds)} seeds per setting")
    return learning_curves(settings, title=title, legend_title=plan.experiment.legend,
                           ordered=plan.experiment.ordered)


def gradient_medians(runs, epochs):
    """(epochs, L): each layer's median gradient norm over the runs, per epoch (NaN where no run
    has a value: after it stopped or diverged)."""
    layers = runs[0].gradient_norms.shape[1]
    table = np.full((len(runs), epochs, layers), np.nan)
    for values, run in zip(table, runs):
        stop = run.epochs_run if run.diverged_at is None else run.diverged_at - 1
        values[:stop] = run.gradient_norms[:stop]
    return statistics.band(table)[0]


def _gradients_figure(plan, grouped, dataset):
    from backprop_lab.figures.gradients import gradient_norm_panels

    epochs = _epochs(plan)
    panels = []
    for setting in plan.settings:
        runs = grouped[(dataset, setting.text)][1]
        config = plan.config(setting, dataset, plan.seeds[0])
        panels.append({"title": f"{setting.panel(plan.experiment, plan.shape)} ({'-'.join(map(str, config.sizes))})",
                       "norms": gradient_medians(runs, epochs), "sizes": config.sizes})
    config = plan.config(plan.settings[0], dataset, plan.seeds[0])
    return gradient_norm_panels(panels, title=f"Gradient size per layer: median over {len(plan.seeds)} seeds of "
                                              f"||dL/dW_l|| per epoch, {_describe_data(config)}")


def _boundary_figure(plan, grouped, predict):
    from backprop_lab.figures.boundary import Plane
    from backprop_lab.figures.boundary_grid import boundary_grid

    seed = plan.seeds[0]
    grid = []
    for dataset in planes(plan):
        panels = []
        for setting in plan.settings:
            config = plan.config(setting, dataset, seed)
            X, Y, X_test, Y_test = held_out(config, *prepare(config)[:2])
            run = grouped[(dataset, setting.text)][1][0]
            plane = Plane.around(X, X_test, resolution=PANEL_RESOLUTION)
            y_hat = predict(run.params, plane.points, config) if run.diverged_at is None else None
            label = setting.text if plan.experiment.over_datasets else setting.panel(plan.experiment, plan.shape)
            panel = {"X": X, "Y": Y, "X_test": X_test, "Y_test": Y_test, "plane": plane,
                     "title": f"{label}\n{percent(run.accuracy[-1])} after {run.epochs_run} epochs"}
            if config.classes > 2:  # K softmax outputs: the plane in the predicted class's colour
                panel.update(classes=config.classes, probabilities=y_hat)
            else:
                panel["image"] = None if y_hat is None else plane.image(y_hat)
            panels.append(panel)
        grid.append(panels)
    if not plan.experiment.over_datasets and len(grid[0]) > MAX_PANELS_PER_ROW:  # wrap one long row
        per_row = math.ceil(len(grid[0]) / math.ceil(len(grid[0]) / MAX_PANELS_PER_ROW))
        grid = [grid[0][i: i + per_row] for i in range(0, len(grid[0]), per_row)]
    config = plan.config(plan.settings[0], plan.datasets[0], seed)
    where = "every data set" if plan.experiment.over_datasets else _describe_data(config)
    title = (f"Decision boundary of seed {seed} in each setting, on {where}: the same seed (same data, "
             "same initial weights) in every panel")
    return boundary_grid(grid, title=title, row_labels=planes(plan) if plan.experiment.over_datasets else None)


MAX_PANELS_PER_ROW = 6
#: Grid points per side of a small boundary panel (a panel is about 300 pixels wide at 150 dpi).
PANEL_RESOLUTION = 80


def _table_figure(plan, grouped):
    from backprop_lab.figures.heatmap import accuracy_table

    def grid(field):
        return np.array([[getattr(grouped[(d, s.text)][0], field) for d in plan.datasets] for s in plan.settings])

    return accuracy_table(grid("accuracy_median"), grid("accuracy_min"), grid("accuracy_max"),
                          [s.text for s in plan.settings], plan.datasets,
                          title=f"Final training accuracy, median and range over {len(plan.seeds)} seeds "
                                f"({_epochs(plan)} epochs)", row_title="hidden activation",
                          column_title="data set")


def figures(plan, grouped, predict):
    """The report's figures, by file name (not saved; see png_writer and close)."""
    drawn = {}
    if plan.experiment.over_datasets:
        drawn["table.png"] = _table_figure(plan, grouped)
    else:
        drawn["curves.png"] = _curves_figure(plan, grouped, plan.datasets[0])
    if plan.experiment.gradients:
        drawn["gradients.png"] = _gradients_figure(plan, grouped, plan.datasets[0])
    if planes(plan):
        drawn["boundaries.png"] = _boundary_figure(plan, grouped, predict)
    return drawn


DPI = 150


def png_writer(figure):
    """A writer for backprop_lab.files.write_folder: the figure as a PNG at DPI."""
    from backprop_lab.figures.save import png_writer as writer

    return writer(figure, dpi=DPI)


def close(figures_by_name):
    from backprop_lab.figures.save import close as close_figure

    for figure in figures_by_name.values():
        close_figure(figure)


# ---------------------------------------------------------------------------------------------
# report.md


def _fixed_configuration(plan):
    """Bullet points: what every run shares (the varied fields say 'varied')."""
    config = plan.config(plan.settings[0], plan.datasets[0], plan.seeds[0])
    varied = set(plan.experiment.varies)
    for setting in plan.settings:  # companions (an optimizer's step size) vary with the setting too
        varied |= set(setting.fields)

    def show(field, text):
        return "varied (see the table)" if field in varied else text

    others = _other_shapes(plan)
    shapes = "; ".join(f"{'-'.join(map(str, c.sizes))} for {describe(c)}" for c in others)
    hidden = show("hidden", "-".join(map(str, config.sizes)) + (f" ({shapes})" if shapes else "")
                  + f", {'with' if config.bias else 'without'} biases")
    batch = "full batch" if config.batch_size is None else f"{config.batch_size} samples"
    items = [
        ("data set", "every data set (see the table)" if plan.experiment.over_datasets
         else _describe_data(config)),
        ("network", hidden),
        ("hidden activation", show("activation", config.activation) + "; " + _output_text(config, others)),
        ("loss", show("loss", config.loss) + "".join(f"; {c.loss} for {describe(c)}" for c in others
                                                     if c.loss != config.loss)),
        ("optimizer", show("optimizer", config.optimizer)),
        ("learning rate", show("lr", f"{config.lr:g}")),
        ("batch size", show("batch_size", batch)),
        ("initial weights", show("init", config.init)),
        ("weight decay", show("weight_decay", f"{config.weight_decay:g}")),
        *((("noise", f"{config.noise:g}"),) if config.noise else ()),
        *((("held out", f"{config.test_fraction:g} of the points, chosen by the seed: trained on the rest, "
                        "scored on them"),) if config.test_fraction else ()),
        ("epochs", f"{config.epochs}" + "".join(f"; {c.epochs} for {describe(c)}" for c in others
                                                if c.epochs != config.epochs)
         + (f", or until {percent(config.stop_at_accuracy)} training accuracy" if config.stop_at_accuracy else "")),
        ("seeds", (f"{plan.seeds[0]} to {plan.seeds[-1]} ({len(plan.seeds)} runs" if len(plan.seeds) > 1
                   else f"{plan.seeds[0]} (1 run") + " per setting; a seed fixes the data and the initial weights)"),
    ]
    if config.optimizer == "momentum" or "optimizer" in varied:
        form = (", averaged: v ← βv + (1 − β)g" if config.momentum_form == "average" and "momentum_form" not in varied
                else "")
        items.append(("momentum", f"{config.momentum:g}{form}"))
    if config.optimizer == "adam" or "optimizer" in varied:
        items.append(("Adam's betas", f"{config.beta1:g}, {config.beta2:g}"))
    if any(plan.config(s, plan.datasets[0], plan.seeds[0]).activation == "leaky-relu" for s in plan.settings):
        items.append(("leaky ReLU slope", f"{config.leaky_slope:g}"))
    lines = [f"- {name}: {text}" for name, text in items]
    if plan.experiment.over_datasets:
        lines += ["", "The data sets:", ""] + [
            f"- {_describe_data(c)}{_rule(c)}" for c in (plan.config(plan.settings[0], d, plan.seeds[0])
                                                          for d in plan.datasets)]
    return "\n".join(lines)


def _other_shapes(plan):
    """The first setting's Config on each data set whose network differs in shape from the first's
    (the table's K-class set)."""
    configs = [plan.config(plan.settings[0], d, plan.seeds[0]) for d in plan.datasets]
    return [c for c in configs[1:] if (c.sizes[0], c.sizes[-1]) != (configs[0].sizes[0], configs[0].sizes[-1])]


def _output_text(config, others):
    """What the output layer is: a sigmoid for two classes, a softmax for K."""
    def output(c):
        return "a sigmoid" if c.classes == 2 else f"a softmax over the {c.classes} classes"

    if not others:
        return f"the output is always {output(config)}"
    return f"the output is {output(config)}" + "".join(f"; for {describe(c)}, {output(c)}" for c in others)


#: How the K-class sets label their points (data.INFO's rules are those of their two classes).
CLASS_RULES = {"spiral": f"{{K}} spirals of {SPIRAL_TURNS:g} turns from the origin to radius 1, 1/{{K}} of a turn "
                         "apart: one per class",
               "gaussian": f"{{K}} round gaussian blobs (sd {GAUSSIAN_SPREAD:g}), one per class, cut to [-1, 1]^2",
               data.DIGITS: "the 8x8 handwritten digits, 64 pixels scaled to [0, 1]; the class is the digit 0-9"}


def _rule(config):
    """How a data set labels its points, where the data module says it."""
    if config.classes > 2:
        return ": " + CLASS_RULES[config.dataset].format(K=config.classes)
    info = getattr(data, "INFO", {}).get(config.dataset)
    return f": {info.rule}" if info is not None else ""


def findings(plan, grouped, dataset):
    """Sentences that read the table: who reached 100%, how fast, who failed, who diverged."""
    lines = []
    n = len(plan.seeds)
    summaries = [(s.label(plan.experiment, plan.shape), grouped[(dataset, s.text)][0]) for s in plan.settings]
    everyone = [(label, s) for label, s in summaries if s.reached_100 == n]
    if len(everyone) == 1:
        label, best = everyone[0]
        lines.append(f"Every seed reached 100% training accuracy only with **{label}**, in a median of "
                     f"{best.epoch_100_median:g} epochs.")
    elif everyone:
        label, best = min(everyone, key=lambda item: item[1].epoch_100_median)
        names = ", ".join(f"**{label}**" for label, _ in everyone)
        lines.append(f"Every seed reached 100% training accuracy with {names}; of these the fastest was **{label}**, "
                     f"in a median of {best.epoch_100_median:g} epochs.")
    partly = [f"**{label}** ({s.reached_100} of {n})" for label, s in summaries if 0 < s.reached_100 < n]
    if partly:
        lines.append("Only some seeds reached 100% with " + ", ".join(partly)
                     + ": with these, one run's result depends on its luck with the initial weights.")
    never = [f"**{label}**" for label, s in summaries if s.reached_100 == 0]
    if never:
        lines.append("No seed reached 100% with " + ", ".join(never) + ".")
    diverged = []
    for setting, (label, s) in zip(plan.settings, summaries):
        if s.diverged:  # which seeds, when not all did: the command line reproduces any one of them
            runs = grouped[(dataset, setting.text)][1]
            seeds = [seed for seed, run in zip(plan.seeds, runs) if run.diverged_at is not None]
            which = f": seed{'s' if len(seeds) > 1 else ''} {', '.join(map(str, seeds))}" if s.diverged < n else ""
            diverged.append(f"**{label}** ({s.diverged} of {n}{which})")
    lines.append("Runs that diverged (the loss or a parameter became infinite or NaN): " + ", ".join(diverged) + "."
                 if diverged else "No run diverged.")
    return lines


GRADIENTS_TEXT = (
    "For each setting, one line per layer: the median over the seeds of the size (Frobenius norm) "
    "of that layer's weight gradient dL/dW_l at each epoch, on a log scale (with full batches, the "
    "norm of the epoch's one step; see backprop_lab/conventions.py, \"Gradient norm per layer\"). "
    "The dark lines are the layers nearest the inputs. A gap between the lines is a factor lost "
    "on the way back: each sigmoid layer multiplies the back-propagated error by sigma'(z) <= 1/4.")


def gradient_findings(plan, grouped, dataset):
    """One sentence: the first epoch's median ratio of the first layer's gradient norm to the
    output layer's, per setting."""
    epochs = _epochs(plan)
    parts = []
    for setting in plan.settings:
        first = gradient_medians(grouped[(dataset, setting.text)][1], epochs)[0]
        parts.append(f"{first[0] / first[-1]:.2g} with {setting.text}")
    return (f"In the first epoch, the median norm of W1 (into the first hidden layer) is, as a fraction of "
            f"the output layer's: {', '.join(parts)} ({plan.experiment.legend.splitlines()[0]}).")


HOW_TO_READ = (
    "How to read the table: *final* is the last epoch's value; *range* runs from the lowest to the "
    "highest seed. *Reached 100%* counts the seeds whose training accuracy was 100% in some epoch, "
    "and *epoch of 100%* is the median, over those seeds, of the first such epoch. Loss and "
    "accuracy are measured during each epoch, before that epoch's updates "
    "(`backprop_lab/conventions.py`). A run *diverged* when its loss or a parameter became "
    "infinite or NaN; it is kept, not dropped: its final loss counts as ∞ (so the median is ∞ when half the seeds "
    "or more diverged) and its final accuracy is that of the epoch in which it diverged.")


def markdown(plan, grouped, command, figures, out):
    """The text of report.md, for the folder ``out``: its links to the derivations are relative
    to that folder (links.py), its figures and runs.json sit in it."""
    experiment = plan.experiment
    blocks = [f"# {experiment.question}",
              f"Experiment `{experiment.name}` of `backprop-lab experiment`: every setting below was "
              + (f"trained {len(plan.seeds)} times, from seeds {plan.seeds[0]} to {plan.seeds[-1]}, "
                 if len(plan.seeds) > 1 else f"trained once, from seed {plan.seeds[0]}, ")
              + "with the element-wise trainer (`scalar_net`). Made by:",
              f"```\n{command}\n```",
              "## The configuration every run shares",
              _fixed_configuration(plan)]
    blocks.append("## Results")
    if experiment.over_datasets:
        blocks += ["Final training accuracy, median (range) over the seeds:",
                   markdown_table(*pivot(plan, grouped)),
                   f"![Final training accuracy per activation and data set]({figures[0]})"]
        for dataset in plan.datasets:
            blocks += [f"### {dataset}", markdown_table(columns(plan), rows(plan, grouped, dataset)),
                       " ".join(findings(plan, grouped, dataset))]
    else:
        blocks += [markdown_table(columns(plan), rows(plan, grouped, plan.datasets[0])),
                   " ".join(findings(plan, grouped, plan.datasets[0]))]
    blocks.append(HOW_TO_READ)
    softmax = plan.shape[1] > 1 and experiment.class_notes
    blocks += ["## What to look for", *(experiment.class_notes if softmax else experiment.notes)]
    if not experiment.over_datasets:
        blocks += ["## Learning curves",
                   "For each setting, the line is the median over the seeds at each epoch and the "
                   "shaded band runs from the lowest to the highest seed; the loss is on a log scale.",
                   f"![Learning curves: median loss and accuracy per epoch with the range over seeds]({figures[0]})"]
    if experiment.gradients:
        blocks += ["## Gradient size per layer", GRADIENTS_TEXT + " " + gradient_findings(plan, grouped, plan.datasets[0]),
                   "![Median gradient norm of each layer's weights per epoch, one panel per setting](gradients.png)"]
    blocks += ["## Decision boundaries", _boundary_text(plan)]
    if planes(plan):
        blocks.append(f"![Decision boundary of one seed per setting]({figures[-1]})")
    if plan.check:
        blocks += ["## Check against the matrix trainer", check_text(plan, grouped)]
    blocks.append("Every run's configuration and numbers are in [runs.json](runs.json).")
    return links.relative_links("\n\n".join(blocks) + "\n", out)


TWO_CLASS_SHADING = ("The shading is the network's output, the black line is where it crosses 0.5, and the dots "
                     "are the training points in their true class's colour")
CLASS_SHADING = ("each point of the plane is coloured by the class the network predicts (the largest of its "
                 "softmax outputs), lighter where it is less sure (its largest probability lower), the black "
                 "lines are the boundaries between the regions, and the dots are the training points in "
                 "their true class's colour")


def _boundary_text(plan):
    """What the boundary panels show, for two classes and for K; or why there are none (the digits)."""
    if not planes(plan):
        config = plan.config(plan.settings[0], plan.datasets[0], plan.seeds[0])
        return (f"None drawn: the {describe(config)} have {config.inputs} inputs, not the plane's 2, so "
                "there is no plane to colour by the predicted class.")
    configs = [plan.config(plan.settings[0], d, plan.seeds[0]) for d in planes(plan)]
    many = [describe(c) for c in configs if c.classes > 2]
    if not many:
        shading = TWO_CLASS_SHADING
    elif len(many) == len(configs):
        shading = CLASS_SHADING[0].upper() + CLASS_SHADING[1:]
    else:
        shading = f"{TWO_CLASS_SHADING}; in the row of {', '.join(many)} {CLASS_SHADING}"
    return (f"Seed {plan.seeds[0]} for every setting: the same data and the same initial weights, so the "
            f"panels differ only by the setting. {shading}; the panel's title gives that run's final "
            "training accuracy.")


def check_text(plan, grouped):
    """--check: how far matrix_net (exact mode) ended from scalar_net, over every run."""
    runs = [run for _, seed_runs in grouped.values() for run in seed_runs]
    worst = max(run.check_diff for run in runs)
    equal = all(run.check_curves_equal for run in runs)
    if worst == 0 and equal:
        return (f"Every one of the {len(runs)} runs was trained again with `matrix_net` in exact mode: "
                "the final parameters and every epoch's loss and accuracy are bitwise identical.")
    return (f"Every one of the {len(runs)} runs was trained again with `matrix_net` in exact mode: the "
            f"largest difference between final parameters is {worst:.3g}"
            + ("" if equal else ", and some epoch losses or accuracies differ") + ".")
