"""The ``backprop-lab`` command: ``compare`` (both trainers side by side), ``experiment``, ``derive``, ``bench``.

Bad input gets one line on stderr and exit status 2; a diverging run stops with exit status 1.
"""

import argparse
import math
import sys

from backprop_lab import options
from backprop_lab.data import DATASETS

EXIT_DIVERGED = 1
EXIT_BAD_INPUT = 2


class BadInput(Exception):
    """A user error: reported as one line, exit status 2."""


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (no usage dump) and exits 2."""

    def error(self, message):
        raise BadInput(message)


def _argument_type(name):
    """Name an argparse ``type`` function: argparse says "invalid <name> value: 'x'" with it."""
    def decorate(function):
        function.__name__ = name
        return function
    return decorate


@_argument_type("positive integer")
def _positive_int(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


@_argument_type("finite number")
def _finite_float(text):
    value = float(text)
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, got {text}")
    return value


@_argument_type("positive number")
def _positive_float(text):
    value = _finite_float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {text}")
    return value


@_argument_type("number in [0, 1)")
def _decay(text):
    value = _finite_float(text)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"must be in [0, 1), got {text}")
    return value


@_argument_type("seed")
def _seed(text):
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a non-negative integer, got {value}")
    return value


@_argument_type("accuracy in (0, 1]")
def _accuracy(text):
    value = _finite_float(text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"must be in (0, 1], e.g. 1 for 100%, got {text}")
    return value


@_argument_type("number >= 0")
def _non_negative_float(text):
    value = _finite_float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be zero or positive, got {text}")
    return value


def add_training_options(p, given_only=False):
    """The options that fix one training run (compare's, shared with experiment).

    given_only: every default is None, so that the options the user typed can be told apart
    (experiment applies them over its own defaults).
    """
    from backprop_lab.config import Config

    d = Config()

    def add(*flags, **kwargs):
        if given_only:
            kwargs["default"] = None
        p.add_argument(*flags, **kwargs)

    add("--dataset", choices=DATASETS, default=d.dataset)
    add("--samples", type=_positive_int, default=d.samples, help="points in the linear data set")
    add("--hidden", type=_positive_int, nargs="+", default=list(d.hidden), metavar="WIDTH",
        help="hidden layer widths (default: 4 4)")
    add("--epochs", type=_positive_int, default=d.epochs)
    add("--lr", type=_positive_float, default=d.lr, help="learning rate")
    add("--batch-size", type=_positive_int, default=None, help="default: the whole data set")
    add("--seed", type=_seed, default=d.seed, help="fixes the data and the initial weights")
    add("--no-bias", dest="bias", action="store_false", help="the lab spec's bias-free network")
    add("--exact", action="store_true",
        help="matrix_net sums its products in the element-wise order: bitwise identical weights")
    add("--activation", choices=options.ACTIVATIONS, default=d.activation,
        help="hidden layers' activation (the output is always a sigmoid)")
    add("--leaky-slope", type=_finite_float, default=d.leaky_slope, help="leaky ReLU's slope for z < 0")
    add("--loss", choices=options.LOSSES, default=d.loss)
    add("--optimizer", choices=options.OPTIMIZERS, default=d.optimizer)
    add("--momentum", type=_decay, default=d.momentum, help="momentum: v = momentum * v + g")
    add("--beta1", type=_decay, default=d.beta1, help="Adam's first-moment decay")
    add("--beta2", type=_decay, default=d.beta2, help="Adam's second-moment decay")
    add("--init", choices=options.INITS, default=d.init, help="initial weight distribution")
    add("--weight-decay", type=_non_negative_float, default=d.weight_decay, metavar="LAMBDA",
        help="L2 weight decay: adds LAMBDA * w to each weight's gradient (biases do not decay)")
    add("--stop-at-accuracy", type=_accuracy, default=d.stop_at_accuracy, metavar="A",
        help="stop after the first epoch whose training accuracy reaches A (1 = 100%%)")


def config_from(args, **overrides):
    """The Config that the options of add_training_options describe, with ``overrides`` on top."""
    from dataclasses import fields

    from backprop_lab.config import Config

    given = {field.name: getattr(args, field.name) for field in fields(Config) if hasattr(args, field.name)}
    if "hidden" in given:
        given["hidden"] = tuple(given["hidden"])
    return Config(**{**given, **overrides})


def _add_compare(subparsers):
    from backprop_lab.config import Config

    d = Config()
    p = subparsers.add_parser("compare", help="train both trainers side by side from the same start",
                              description="Train scalar_net and matrix_net from the same seeded start "
                                          "and print their losses, weights and timings side by side.")
    add_training_options(p)
    p.add_argument("--report-every", type=_positive_int, default=d.report_every, metavar="EPOCHS")
    p.add_argument("--json", metavar="PATH", help="write the run as JSON (see README)")
    p.add_argument("--plot", metavar="PATH", help="write a PNG: ground truth, predictions, learning curves")
    p.set_defaults(handler=_compare)


def _compare(args):
    from backprop_lab.commands import compare, report
    from backprop_lab.data import size
    from backprop_lab.files import check_writable

    config = config_from(args, report_every=args.report_every)
    n = size(config.dataset, config.samples)
    if config.batch_size is not None and config.batch_size > n:
        raise BadInput(f"argument --batch-size: must be at most {n}, the size of the {config.dataset} data set")
    for path in (args.json, args.plot):
        if path:
            try:
                check_writable(path)
            except OSError as error:
                raise BadInput(f"cannot write {path}: {error.strerror or error}") from None
    print(report.header(config), flush=True)
    print(report.CHECKPOINT_HEADER, flush=True)
    try:
        X, Y, initial, scalar, matrix, _ = compare.run(
            config, on_checkpoint=lambda c: print(report.checkpoint_line(c), flush=True))
    except compare.Diverged as diverged:
        print(f"backprop-lab: {diverged}; stopped (try a smaller --lr)", file=sys.stderr)
        return EXIT_DIVERGED
    y_hat = report.predictions(config, X, scalar, matrix)
    print(report.summary(config, X, Y, scalar, matrix, y_hat))
    if args.json:
        from backprop_lab.files import write_json

        write_json(args.json, compare.json_document(config, initial, scalar, matrix))
        print(f"wrote {args.json}")
    if args.plot:
        from backprop_lab.figures.comparison import comparison_figure

        comparison_figure(args.plot, X, Y, y_hat,
                          {"scalar_net": scalar.loss, "matrix_net": matrix.loss})
        print(f"wrote {args.plot}")
    return 0


def _add_experiment(subparsers):
    import os

    from backprop_lab.commands import catalogue

    names = ", ".join(catalogue.EXPERIMENTS)
    p = subparsers.add_parser(
        "experiment", help="answer one of the lab's questions over many seeds: a table, figures, a report",
        description="Train every setting of one experiment over many seeds with scalar_net and write "
                    f"report.md, runs.json and figures into --out. Experiments: {names}. Every "
                    "option of compare fixes the rest of the configuration; an option not given "
                    f"takes the experiment's default ({catalogue.DEFAULT_EPOCHS} epochs; a step "
                    "size per optimizer), else compare's.")
    p.add_argument("name", metavar="NAME", help=f"the experiment: {names}")
    p.add_argument("--values", nargs="+", metavar="V", help="the settings to compare (default: the experiment's)")
    p.add_argument("--seeds", type=int, default=catalogue.DEFAULT_SEEDS, metavar="N",
                   help=f"runs per setting, seeds S to S+N-1 with S = --seed (default {catalogue.DEFAULT_SEEDS})")
    p.add_argument("--jobs", type=_positive_int, default=os.cpu_count() or 1, metavar="J",
                   help="worker processes (default: all cores); the numbers do not depend on it")
    p.add_argument("--check", action="store_true",
                   help="also train every run with matrix_net in exact mode and report the largest difference")
    p.add_argument("--out", required=True, metavar="DIR", help="the report folder (written whole or not at all)")
    add_training_options(p, given_only=True)
    p.set_defaults(handler=_experiment)


def _experiment(args):
    import time

    from backprop_lab.commands import experiment, experiment_report, seed_runs

    try:
        plan = experiment.plan(args.name, args.values, args.seeds, experiment.given_fields(args), args.check)
        experiment.check_out(args.out)
    except experiment.PlanError as error:
        raise BadInput(str(error)) from None
    tasks = plan.tasks()
    print(f"experiment {args.name}: {len(plan.settings)} settings x {len(plan.datasets)} data set(s) x "
          f"{len(plan.seeds)} seeds = {len(tasks)} runs on {args.jobs} process(es)", flush=True)
    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread: the worker processes are forked (seed_runs)
    start = time.perf_counter()
    with tqdm(total=len(tasks), unit="run", dynamic_ncols=True) as bar:
        results = seed_runs.run_all(tasks, args.jobs, progress=bar.update)
    seconds = time.perf_counter() - start
    grouped = experiment.summarise(plan, results)
    print(experiment_report.terminal_tables(plan, grouped))
    if plan.check:
        print(experiment_report.check_text(plan, grouped))
    written = experiment.write_report(args.out, plan, grouped, experiment.command_line(args.argv), _predict)
    print(f"{len(tasks)} runs in {seconds:.1f} s; wrote {', '.join(written)} in {args.out}")
    return 0


def _predict(params, X, config):
    """The boundary panels' outputs, from the trainer that trained the runs."""
    import scalar_net

    return scalar_net.predict(params, X, activation=config.activation, leaky_slope=config.leaky_slope)


def _add_derive(subparsers):
    p = subparsers.add_parser("derive", help="regenerate the sympy derivation files",
                              description="Derive every gradient with sympy, prove the element-wise "
                                          "and matrix forms equal, and write the Markdown files.")
    p.add_argument("--out", metavar="DIR", help="folder to write (default: derivations/generated)")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 if the files in the folder are out of date")
    p.set_defaults(handler=_derive)


def _derive(args):
    from derivations.__main__ import main as derive

    try:
        return derive([*(["--out", args.out] if args.out else []), *(["--check"] if args.check else [])])
    except OSError as error:
        raise BadInput(f"cannot write {args.out}: {error.strerror or error}") from None


def _add_bench(subparsers):
    p = subparsers.add_parser("bench", help="turn a saved benchmark run into a table and plots",
                              add_help=False, prefix_chars="\0")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(handler=_bench)


def _bench(args):
    from backprop_lab.commands import bench

    return bench.main(args.rest)


def parser():
    top = OneLineParser(prog="backprop-lab", description=__doc__.splitlines()[0])
    subparsers = top.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    _add_compare(subparsers)
    _add_experiment(subparsers)
    _add_derive(subparsers)
    _add_bench(subparsers)
    return top


def main(argv=None):
    try:
        args = parser().parse_args(argv)
        args.argv = list(sys.argv[1:] if argv is None else argv)
        return args.handler(args)
    except BadInput as error:
        print(f"backprop-lab: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. piped into `head`: the reader has what it wanted
        sys.stderr.close()
        return 0
