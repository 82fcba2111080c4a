"""``backprop-lab experiment NAME``: one lab question, every setting over many seeds, one report.

The steps: ``planning.plan`` checks the input and lists every run (nothing is written when it
fails); ``seed_runs.run_all`` trains them; ``planning.summarise`` reduces them per setting;
``folder.write_report`` writes the folder (report.md, runs.json, figures) into a temporary
sibling and renames it into place.
"""

import argparse
import os
import time
from dataclasses import fields

from backprop_lab.commands.experiment import catalogue
from backprop_lab.commands.shared import argument_types as types
from backprop_lab.commands.shared.checks import check_memory
from backprop_lab.commands.shared.errors import BadInput
from backprop_lab.commands.shared.parser import note_no_effect
from backprop_lab.commands.shared.run_options import RUN_CONDITIONAL, add_run_options
from backprop_lab.config import Config


def experiment_name(text):
    """The argparse ``type`` of NAME: one of the catalogue's experiments."""
    if text not in catalogue.EXPERIMENTS:
        names = ", ".join(catalogue.EXPERIMENTS)
        raise argparse.ArgumentTypeError(f"unknown experiment {text!r}; choose one of {names}")
    return text


def add_parser(subparsers):
    names = ", ".join(catalogue.EXPERIMENTS)
    own_epochs = "".join(f"; {e.name}: {e.base['epochs']}" for e in catalogue.EXPERIMENTS.values()
                         if "epochs" in e.base)
    p = subparsers.add_parser(
        "experiment", help="answer one of the lab's questions over many seeds, in a report",
        description="Train every setting of one experiment over many seeds with scalar_net and write "
                    "report.md, runs.json and figures into --out. The other options fix the rest of "
                    "the configuration; an option that the experiment varies is given with --values.")
    p.add_argument("name", type=experiment_name, metavar="NAME", help=f"the experiment: {names}")
    p.add_argument("--values", nargs="+", metavar="V",
                   help="the settings to compare; for hidden, H (2-H-H-1) or a width per layer, "
                        "8,4 (2-8-4-1) (default: the experiment's own)")
    p.add_argument("--seeds", type=types.positive_int, default=catalogue.DEFAULT_SEEDS, metavar="N",
                   help="runs per setting, seeds S to S+N-1 with S = --seed (default: %(default)s)")
    p.add_argument("--jobs", type=types.positive_int, default=os.cpu_count() or 1, metavar="J",
                   help="worker processes; the numbers do not depend on it (default: all cores, %(default)s)")
    p.add_argument("--check", action="store_true",
                   help="also train every run with matrix_net in exact mode and report the largest difference "
                        "(default: scalar_net only)")
    p.add_argument("--out", required=True, type=types.folder_name, metavar="DIR",
                   help="the report folder, written whole or not at all (required)")
    add_run_options(p, data=False, classes=True, defaults={
        "epochs": f"{catalogue.DEFAULT_EPOCHS}{own_epochs}",
        "lr": "%(default)s; in the optimizer experiment, the step size that suits each optimizer",
        "dataset": f"%(default)s; table runs on every set of the plane and on {', '.join(catalogue.TABLE_CLASS_SETS)}"})
    return p


def run(args):
    from backprop_lab.commands.experiment import folder, planning, seed_runs
    from backprop_lab.commands.experiment import report as experiment_report

    try:
        plan = planning.plan(args.name, args.values, args.seeds, given_fields(args), args.check)
        folder.check_out(args.out, plan)
    except planning.PlanError as error:
        raise BadInput(str(error)) from None
    # Memory, from the plan's sizes alone, before any run is built (backprop_lab.limits).
    check_memory(plan.memory_bytes(args.jobs), args.allow_large)
    tasks = plan.tasks()
    note_no_effect(args, RUN_CONDITIONAL, plan.configurations())  # an option no run of the plan uses
    print(f"experiment {args.name}: {len(plan.settings)} settings x {len(plan.datasets)} data set(s) x "
          f"{len(plan.seeds)} seeds = {len(tasks)} runs on {args.jobs} process(es)", flush=True)
    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread: the worker processes are forked (seed_runs)
    start = time.perf_counter()
    with tqdm(total=len(tasks), unit="run", dynamic_ncols=True, disable=None) as bar:  # None: a terminal only
        results = seed_runs.run_all(tasks, args.jobs, progress=bar.update)
    seconds = time.perf_counter() - start
    grouped = planning.summarise(plan, results)
    print(experiment_report.terminal_tables(plan, grouped))
    if plan.check:
        print(experiment_report.check_text(plan, grouped))
    from backprop_lab import files

    with files.outputs() as run:  # the folder, and any folder above it made for it, or nothing
        written = folder.write_report(args.out, plan, grouped, command_line(args.argv), seed_runs.predict, run)
        print(f"{len(tasks)} runs in {seconds:.1f} s; wrote {', '.join(written)} in {args.out}")
    return 0


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
