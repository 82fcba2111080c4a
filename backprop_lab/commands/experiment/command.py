"""``backprop-lab experiment NAME``: one lab question, every setting over many seeds, one report.

The steps: ``plan`` checks the input and lists every run (nothing is written when it fails);
``seed_runs.run_all`` trains them; ``summarise`` reduces them per setting; ``write_report`` writes
the folder (report.md, runs.json, figures) into a temporary sibling and renames it into place.
"""

import os
from dataclasses import asdict, dataclass, fields, replace

import numpy as np

from backprop_lab import data
from backprop_lab.commands.experiment import catalogue
from backprop_lab.commands.experiment import report as experiment_report
from backprop_lab.commands.experiment import statistics
from backprop_lab.commands.experiment.seed_runs import Task
from backprop_lab.config import Config


class PlanError(ValueError):
    """Input that does not fit: one line for the user."""


@dataclass
class Plan:
    """Everything one experiment will run.

    settings:  catalogue.Setting per value, in the order given;
    datasets:  the data sets it runs on (one, or every one for ``table``);
    seeds:     the seeds each (setting, data set) runs with; the first one's boundary is drawn;
    base:      the Config that every run shares before its setting is applied;
    given:     the Config fields the user gave as options (they beat the settings' companions).
    """

    experiment: catalogue.Experiment
    settings: list
    datasets: list
    seeds: list
    base: Config
    given: dict
    check: bool = False

    def config(self, setting, dataset, seed):
        """The Config of one run: precedence as in backprop_lab.commands.experiment.catalogue."""
        primary = {k: v for k, v in setting.fields.items() if k in self.experiment.varies}
        companions = {k: v for k, v in setting.fields.items() if k not in self.experiment.varies}
        return replace(self.base, **{**companions, **self.given, **primary, "dataset": dataset, "seed": seed})

    def tasks(self):
        """Every run, in report order: data set, then setting, then seed."""
        return [Task(self.config(s, d, seed), keep_params=seed == self.seeds[0], check=self.check)
                for d in self.datasets for s in self.settings for seed in self.seeds]


def plan(name, values, seeds, given, check=False):
    """The Plan for ``backprop-lab experiment NAME``; PlanError naming the problem otherwise.

    given: Config fields from the command line (only those the user typed).
    """
    if name not in catalogue.EXPERIMENTS:
        raise PlanError(f"unknown experiment {name!r}; choose one of {', '.join(catalogue.EXPERIMENTS)}")
    experiment = catalogue.EXPERIMENTS[name]
    varied = set(experiment.varies) | ({"dataset"} if experiment.over_datasets else set())
    clash = sorted(varied & set(given))
    if clash:
        flags = ", ".join("--" + f.replace("_", "-") for f in clash)
        raise PlanError(f"experiment {name} varies {flags} itself: give its values with --values")
    if seeds < 1:
        raise PlanError(f"--seeds must be at least 1, got {seeds}")
    if given.get("data") is not None:
        raise PlanError("argument --data: experiments run on the generated data sets (--dataset); "
                        "a CSV file is not supported by experiment yet")
    try:
        settings = catalogue.parse_values(experiment, values)
    except ValueError as error:
        raise PlanError(f"experiment {name}: {error}") from None
    base = Config(**{"epochs": catalogue.DEFAULT_EPOCHS, **experiment.base})
    first_seed = given.get("seed", base.seed)
    given = {k: v for k, v in given.items() if k != "seed"}
    datasets = list(data.DATASETS) if experiment.over_datasets else [given.get("dataset", base.dataset)]
    result = Plan(experiment, settings, datasets, list(range(first_seed, first_seed + seeds)), base, given, check)
    for dataset in datasets:
        for setting in settings:
            _check_fits(result.config(setting, dataset, first_seed), setting)
    return result


def _check_fits(config, setting):
    """PlanError if a run of this configuration cannot start (a batch larger than the data set...)."""
    try:
        config.sizes
    except ValueError as error:
        raise PlanError(f"value {setting.text}: {error}") from None
    from backprop_lab.data.split import held_out_count

    n = data.size(config.dataset, config.samples)
    try:
        n_train = n - held_out_count(n, config.test_fraction)
    except ValueError as error:
        raise PlanError(f"argument --test-fraction: {error}") from None
    if config.batch_size is not None and config.batch_size > n_train:
        raise PlanError(f"value {setting.text}: a batch of {config.batch_size} is larger than the "
                        f"{n_train} training points of the {config.dataset} data set")


def report_files(plan_):
    """The names of the files a report folder holds."""
    figures = ["table.png", "boundaries.png"] if plan_.experiment.over_datasets else ["curves.png", "boundaries.png"]
    return ["report.md", "runs.json", *figures]


def check_out(out, plan_):
    """PlanError unless the folder ``out`` can be written whole (backprop_lab.files): a missing
    folder (its parents are made), or one holding only a previous report's files."""
    from backprop_lab.files import OutputError, check_folder_contents, check_outputs

    try:
        check_outputs([("--out/", out)], make_parents=True)
        check_folder_contents(os.path.abspath(out), report_files(plan_))
    except OutputError as error:
        raise PlanError(str(error)) from None


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


def _finite(x):
    """JSON has no infinity or NaN: those become null (a diverged run says so in diverged_at)."""
    return float(x) if x is not None and np.isfinite(x) else None


def _config_fields(config):
    recorded = asdict(config)
    for printing_only in ("report_every", "print_samples", "data"):  # compare's, not a run's
        recorded.pop(printing_only, None)
    recorded["hidden"] = list(config.hidden)
    return recorded


def runs_document(plan_, grouped):
    """runs.json: every run's configuration and numbers (no timings, no paths: it is the same for
    any --jobs and on every rerun).  Losses are kept every ``loss_every`` epochs to keep it small."""
    epochs = plan_.config(plan_.settings[0], plan_.datasets[0], plan_.seeds[0]).epochs
    every = max(1, epochs // 50)
    settings, runs = [], []
    for dataset in plan_.datasets:
        for setting in plan_.settings:
            summary, seed_runs = grouped[(dataset, setting.text)]
            config = plan_.config(setting, dataset, plan_.seeds[0])
            settings.append({"value": setting.text, "dataset": dataset,
                             "config": {k: v for k, v in _config_fields(config).items() if k != "seed"},
                             "summary": {k: (_finite(v) if isinstance(v, float) else v)
                                         for k, v in asdict(summary).items()}})
            for seed, run in zip(plan_.seeds, seed_runs):
                record = {"value": setting.text, "dataset": dataset, "seed": seed, "epochs_run": run.epochs_run,
                          "final_loss": _finite(statistics.final_loss(run)),
                          "final_accuracy": float(run.accuracy[-1]),
                          "first_100_epoch": statistics.first_perfect_epoch(run.accuracy),
                          "diverged_at": run.diverged_at,
                          **({"test_loss": _finite(run.test_loss), "test_accuracy": run.test_accuracy}
                             if config.test_fraction else {}),
                          "loss_every": [_finite(x) for x in run.loss[every - 1::every]]}
                if plan_.check:
                    record["check_max_abs_param_diff"] = _finite(run.check_diff)
                    record["check_curves_bitwise_equal"] = run.check_curves_equal
                runs.append(record)
    return {"experiment": plan_.experiment.name, "question": plan_.experiment.question,
            "values": [s.text for s in plan_.settings], "datasets": plan_.datasets, "seeds": plan_.seeds,
            "trainer": "scalar_net", "loss_every": every, "settings": settings, "runs": runs}


def write_report(out, plan_, grouped, command, predict):
    """Write the report folder whole (backprop_lab.files.write_folder: a temporary sibling, then
    one swap).  predict(params, X, config) -> y_hat draws the boundaries.  Returns the file names."""
    import json

    from backprop_lab.files import text_writer, write_folder

    figures = experiment_report.figures(plan_, grouped, predict)
    writers = {"report.md": text_writer(experiment_report.markdown(plan_, grouped, command, list(figures))),
               "runs.json": text_writer(json.dumps(runs_document(plan_, grouped), indent=1, allow_nan=False) + "\n")}
    writers.update({name: experiment_report.png_writer(figure) for name, figure in figures.items()})
    assert sorted(writers) == sorted(report_files(plan_))
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    try:
        write_folder(out, writers)
    finally:
        experiment_report.close(figures)
    return report_files(plan_)


def given_fields(args):
    """The Config fields the user typed on the command line (``args.given``: their dests)."""
    names = {f.name for f in fields(Config)}
    given = {k: getattr(args, k) for k in sorted(args.given) if k in names}
    if "hidden" in given:
        given["hidden"] = tuple(given["hidden"])
    return given


def command_line(argv):
    """The command that made the report, for report.md: without --jobs, which changes nothing."""
    import shlex

    kept, skip = [], False
    for word in argv:
        if skip:
            skip = False
        elif word == "--jobs":
            skip = True
        elif not word.startswith("--jobs="):
            kept.append(word)
    return "backprop-lab " + shlex.join(kept)
