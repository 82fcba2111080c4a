"""The report folder: its files, the check that it can be written, runs.json, and the write
itself (into a temporary sibling, then renamed into place)."""

import os
from dataclasses import asdict

import numpy as np

from backprop_lab.commands.experiment import report as experiment_report
from backprop_lab.commands.experiment import statistics
from backprop_lab.commands.experiment.planning import PlanError


def report_files(plan_):
    """The names of the files a report folder holds."""
    figures = ["table.png", "boundaries.png"] if plan_.experiment.over_datasets else ["curves.png", "boundaries.png"]
    if plan_.experiment.gradients:
        figures.insert(1, "gradients.png")
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


def _finite(x):
    """JSON has no infinity or NaN: those become null (a diverged run says so in diverged_at)."""
    return float(x) if x is not None and np.isfinite(x) else None


def _config_fields(config):
    recorded = asdict(config)
    for printing_only in ("report_every", "print_samples", "data"):  # compare's, not a run's
        recorded.pop(printing_only, None)
    for shape in ("classes", "inputs"):  # always the plane's 2 and 2: experiments do not take K classes yet
        recorded.pop(shape, None)
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
            "values": [s.text for s in plan_.settings], "datasets": plan_.datasets, "seeds": list(plan_.seeds),
            "trainer": "scalar_net", "loss_every": every, "settings": settings, "runs": runs}


def write_report(out, plan_, grouped, command, predict, run):
    """Stage the report folder whole in ``run`` (backprop_lab.files.Outputs: a temporary sibling,
    swapped in when the run commits).  predict(params, X, config) -> y_hat draws the boundaries.
    Returns the file names."""
    import json

    from backprop_lab.files import text_writer

    figures = experiment_report.figures(plan_, grouped, predict)
    writers = {"report.md": text_writer(experiment_report.markdown(plan_, grouped, command, list(figures), out)),
               "runs.json": text_writer(json.dumps(runs_document(plan_, grouped), indent=1, allow_nan=False) + "\n")}
    writers.update({name: experiment_report.png_writer(figure) for name, figure in figures.items()})
    assert sorted(writers) == sorted(report_files(plan_))
    try:
        run.folder(out, writers)
    finally:
        experiment_report.close(figures)
    return report_files(plan_)
