"""What one experiment will run: ``plan`` checks the input and lists every run (nothing is
written when it fails); ``summarise`` reduces the results per setting."""

from dataclasses import dataclass, replace

from backprop_lab import data, options
from backprop_lab.commands.experiment import catalogue
from backprop_lab.commands.experiment import statistics
from backprop_lab.commands.experiment.seed_runs import Task
from backprop_lab.config import Config


class PlanError(ValueError):
    """Input that does not fit: one line for the user."""


@dataclass
class Plan:
    """Everything one experiment will run.

    settings:  catalogue.Setting per value, in the order given;
    datasets:  the data sets it runs on, by name (one, or for ``table`` every set of the plane and
               catalogue.TABLE_CLASS_SETS, each named by what it shows);
    seeds:     the seeds each (setting, data set) runs with, a range (nothing per seed is built
               before the memory check); the first one's boundary is drawn;
    base:      the Config that every run shares before its setting is applied;
    given:     the Config fields the user gave as options (they beat the settings' companions).
    """

    experiment: catalogue.Experiment
    settings: list
    datasets: list
    seeds: range
    base: Config
    given: dict
    check: bool = False

    def config(self, setting, dataset, seed):
        """The Config of one run: precedence as in backprop_lab.commands.experiment.catalogue; the
        network's first and last widths from the data (backprop_lab.data), and for K >= 3 classes
        cross-entropy unless a loss is named (the table's: for its two-class sets only)."""
        primary = {k: v for k, v in setting.fields.items() if k in self.experiment.varies}
        companions = {k: v for k, v in setting.fields.items() if k not in self.experiment.varies}
        fields = {**companions, **self.given, **primary, **catalogue.TABLE_CLASS_SETS.get(dataset, {"dataset": dataset}),
                  "seed": seed}
        config = replace(self.base, **fields)
        classes = data.classes_of(config.dataset, config.classes)
        named = "loss" in fields and not self.experiment.over_datasets
        loss = config.loss if classes == 2 or named else options.SOFTMAX_LOSS
        return replace(config, inputs=data.inputs_of(config.dataset), classes=classes, loss=loss)

    @property
    def shape(self):
        """(inputs, outputs) of the first data set's network: a network's name, 2-4-4-1."""
        sizes = self.config(self.settings[0], self.datasets[0], self.seeds[0]).sizes
        return sizes[0], sizes[-1]

    def configurations(self):
        """The Config of every (data set, setting), with the first seed: what the runs differ in."""
        return [self.config(s, d, self.seeds[0]) for d in self.datasets for s in self.settings]

    def run_count(self):
        """How many runs ``tasks`` makes, without making them."""
        return len(self.datasets) * len(self.settings) * len(self.seeds)

    def memory_bytes(self, jobs):
        """What the experiment holds at most (backprop_lab.limits), from its sizes alone: the
        largest run in each of ``jobs`` worker processes (each with its own Python), every run's
        history and record until the report is written, and the report's figures: the boundary
        panels of the plane's configurations, one computed at a time (the widest network's grids)
        while every panel's images are kept."""
        from backprop_lab.commands.shared.checks import compare_bytes
        from backprop_lab.limits import (FLOAT, PANEL_IMAGES, RUN_RECORD, WORKER_BYTES, history_bytes,
                                         picture_bytes)
        from backprop_lab.figures.boundary import RESOLUTION

        configurations = self.configurations()
        runs = self.run_count()
        workers = min(jobs, runs)
        largest = max(compare_bytes(c) for c in configurations)
        epochs = max(c.epochs for c in configurations)
        planar = [c for c in configurations if c.inputs == 2]  # the digits get no boundary panel
        pictures = 0
        if planar:
            widest = max(planar, key=lambda c: sum(c.sizes)).sizes
            pictures = picture_bytes(widest) + len(planar) * PANEL_IMAGES * FLOAT * RESOLUTION**2
        return ((largest + WORKER_BYTES) * workers + runs * (history_bytes(epochs, trainers=1) + RUN_RECORD)
                + pictures)

    def tasks(self):
        """Every run, in report order: data set, then setting, then seed."""
        return [Task(self.config(s, d, seed), keep_params=seed == self.seeds[0], check=self.check,
                     keep_gradients=self.experiment.gradients)
                for d in self.datasets for s in self.settings for seed in self.seeds]


def plan(name, values, seeds, given, check=False):
    """The Plan for ``backprop-lab experiment NAME``; PlanError naming the problem otherwise.

    name: one of catalogue.EXPERIMENTS; seeds: at least 1 (the command line's types check both);
    given: Config fields from the command line (only those the user typed).
    """
    experiment = catalogue.EXPERIMENTS[name]
    varied = set(experiment.varies) | ({"dataset", "classes"} if experiment.over_datasets else set())
    clash = sorted(varied & set(given))
    if clash:
        flags = ", ".join("--" + f.replace("_", "-") for f in clash)
        raise PlanError(f"experiment {name} varies {flags} itself: give its values with --values")
    try:
        settings = catalogue.parse_values(experiment, values)
    except ValueError as error:
        raise PlanError(f"experiment {name}: {error}") from None
    base = Config(**{"epochs": catalogue.DEFAULT_EPOCHS, **experiment.base})
    first_seed = given.get("seed", base.seed)
    given = {k: v for k, v in given.items() if k != "seed"}
    datasets = ([*data.DATASETS, *catalogue.TABLE_CLASS_SETS] if experiment.over_datasets
                else [given.get("dataset", base.dataset)])
    _check_data(given, given.get("dataset", base.dataset))
    result = Plan(experiment, settings, datasets, range(first_seed, first_seed + seeds), base, given, check)
    if "loss" in experiment.varies and result.shape[1] > 1:
        raise PlanError(f"experiment {name} compares the losses of one sigmoid output (two classes); "
                        f"{result.shape[1]} classes have one loss, {options.SOFTMAX_LOSS}")
    for dataset in datasets:
        for setting in settings:
            _check_fits(result.config(setting, dataset, first_seed), setting, given)
    return result


def _check_data(given, dataset):
    """PlanError for options that do not fit the data set: --classes for a set without K classes,
    --samples or --noise for the digits (the file's 1797 images)."""
    if "classes" in given:
        try:
            data.check_classes(dataset, given["classes"])
        except ValueError as error:
            raise PlanError(f"argument --{error}") from None
    if dataset == data.DIGITS:
        for name in ("samples", "noise"):
            if name in given:
                raise PlanError(f"argument --{name}: applies to the data sets of the plane, not to the digits")


def _check_fits(config, setting, given):
    """PlanError if a run of this configuration cannot start (a loss that does not fit the
    network's output, a batch larger than the data set...)."""
    from backprop_lab.network import check_loss

    try:
        config.sizes
    except ValueError as error:
        raise PlanError(f"value {setting.text}: {error}") from None
    try:
        check_loss(config.loss, config.sizes[-1])
    except ValueError as error:
        where = "argument --loss" if "loss" in given else f"value {setting.text}"
        raise PlanError(f"{where}: {error} (the {describe(config)} data set)") from None
    from backprop_lab.data.split import held_out_count

    n = data.size(config.dataset, config.samples)
    try:
        n_train = n - held_out_count(n, config.test_fraction)
    except ValueError as error:
        raise PlanError(f"argument --test-fraction: {error}") from None
    if config.batch_size is not None and config.batch_size > n_train:
        raise PlanError(f"value {setting.text}: a batch of {config.batch_size} is larger than the "
                        f"{n_train} training points of the {config.dataset} data set")


def describe(config):
    """The data set's name, with its classes where it has K of them: ``spiral, 3 classes``."""
    return config.dataset + (f", {config.classes} classes" if config.classes > 2 and config.dataset in data.CLASS_SETS
                             else "")


def summarise(plan_, results):
    """{(data set, setting text): (Summary, [RunResult per seed])}, in report order."""
    per = len(plan_.seeds)
    grouped, index = {}, 0
    for dataset in plan_.datasets:
        for setting in plan_.settings:
            runs = results[index: index + per]
            grouped[(dataset, setting.text)] = (statistics.summarise(runs), runs)
            index += per
    return grouped
