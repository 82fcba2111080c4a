"""The ``backprop-lab`` command: ``compare`` (both trainers side by side), ``experiment``, ``trace``,
``derive``, ``bench``.

Every command goes through ``main``, which keeps the promises of the README for all of them:
bad input is one line on stderr and exit status 2, before any work (a command checks its
arguments, its sizes against backprop_lab.limits and its outputs with backprop_lab.files.
check_outputs first); a diverging run stops with exit status 1, as does an output that fails
while being written (a full disk); Ctrl-C exits 130 and SIGTERM 143 (commands/signals.py); no
traceback and no warning reaches the terminal.
"""

import argparse
import math
import os
import sys
import warnings

from backprop_lab import options
from backprop_lab.commands import signals
from backprop_lab.data import DATASETS

EXIT_FAILED = 1  # the run diverged, or an output failed while being written
EXIT_DIVERGED = EXIT_FAILED
EXIT_BAD_INPUT = 2


class BadInput(Exception):
    """A user error: reported as one line, exit status 2."""


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (no usage dump) and exits 2; no abbreviations
    (``--ep`` is not ``--epochs``); an option given twice is an error.  The options given on the
    command line (their ``dest``) are recorded in ``args.given``, for ``note_no_effect``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message):
        raise BadInput(message)

    def _options_given(self, arguments):
        seen = {}
        for argument in arguments:
            if argument == "--":
                break
            action = self._option_string_actions.get(argument.split("=", 1)[0])
            if action is None or isinstance(action, (argparse._AppendAction, argparse._CountAction)):
                continue
            if action.dest in seen:
                self.error(f"argument {'/'.join(action.option_strings)}: given twice; give it once")
            seen[action.dest] = argument
        return set(seen)

    def parse_known_args(self, args=None, namespace=None):
        args = sys.argv[1:] if args is None else list(args)
        given = self._options_given(args)
        namespace, rest = super().parse_known_args(args, namespace)
        namespace.given = given | getattr(namespace, "given", set())  # a subcommand's, merged
        return namespace, rest


def note_no_effect(args, conditional):
    """One line on stderr naming the options given that do nothing in this configuration.

    conditional: [(dest, flag, applies(args) -> bool, the setting it needs)].
    """
    idle = [f"{flag} has no effect without {needs}" for dest, flag, applies, needs in conditional
            if dest in args.given and not applies(args)]
    if idle:
        print(f"backprop-lab: note: {'; '.join(idle)}", file=sys.stderr)


def check_outputs(outputs, **options):
    """backprop_lab.files.check_outputs, with its problem as BadInput."""
    from backprop_lab.files import OutputError, check_outputs as check

    try:
        check(outputs, **options)
    except OutputError as error:
        raise BadInput(str(error)) from None


def check_memory(needed, allow_large):
    """BadInput when a run needing ``needed`` bytes is past the limit (backprop_lab.limits)."""
    from backprop_lab.limits import refusal

    why = refusal(needed, allow_large)
    if why:
        raise BadInput(why)


def _checked(name, parse, accept, requirement):
    """An argparse ``type``: ``parse`` the text, and refuse a value that ``accept`` rejects with
    "must be <requirement>".  argparse calls it "<name>" in its own messages ("invalid <name>
    value: 'x'", for text that does not parse)."""
    def check(text):
        value = parse(text)
        if not accept(value):
            raise argparse.ArgumentTypeError(f"must be {requirement}, got {text}")
        return value

    check.__name__ = name
    return check


def _finite_number(text):
    value = float(text)
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, got {text}")
    return value


_finite_number.__name__ = "finite number"
_positive_int = _checked("positive integer", int, lambda v: v >= 1, "at least 1")
_positive_float = _checked("positive number", _finite_number, lambda v: v > 0, "positive")
_decay = _checked("number in [0, 1)", _finite_number, lambda v: 0 <= v < 1, "in [0, 1)")
_noise = _checked("noise in [0, 1]", _finite_number, lambda v: 0 <= v <= 1, "between 0 and 1")
_fraction = _checked("fraction in [0, 1)", _finite_number, lambda v: 0 <= v < 1, "at least 0 and below 1")
_count = _checked("non-negative integer", int, lambda v: v >= 0, "0 or more")
_accuracy = _checked("accuracy in (0, 1]", _finite_number, lambda v: 0 < v <= 1, "in (0, 1], e.g. 1 for 100%")
_non_negative_float = _checked("number >= 0", _finite_number, lambda v: v >= 0, "zero or positive")
_seed = _checked("seed", int, lambda v: v >= 0, "a non-negative integer")


def _add_network_and_training_options(p):
    """The options ``compare`` and ``trace`` share: the data set, the network, its start and its step."""
    from backprop_lab.config import Config

    d = Config()
    p.add_argument("--dataset", choices=DATASETS, default=d.dataset,
                   help=f"default: {d.dataset}; each data set has a recipe (README) that compare uses for "
                        "--hidden, --optimizer, --lr, --epochs and --samples when they are not given")
    p.add_argument("--hidden", type=_positive_int, nargs="+", default=list(d.hidden), metavar="WIDTH",
                   help="hidden layer widths (default: 4 4)")
    p.add_argument("--lr", type=_positive_float, default=d.lr, help="learning rate")
    p.add_argument("--seed", type=_seed, default=d.seed, help="fixes the data and the initial weights")
    p.add_argument("--no-bias", dest="bias", action="store_false", help="the lab spec's bias-free network")
    p.add_argument("--activation", choices=options.ACTIVATIONS, default=d.activation,
                   help="hidden layers' activation (the output is always a sigmoid)")
    p.add_argument("--leaky-slope", type=_finite_number, default=d.leaky_slope, help="leaky ReLU's slope for z < 0")
    p.add_argument("--loss", choices=options.LOSSES, default=d.loss)
    p.add_argument("--init", choices=options.INITS, default=d.init, help="initial weight distribution")
    p.add_argument("--allow-large", action="store_true",
                   help="allow a run that needs more than 2 GiB of memory (see README)")


def add_run_options(p):
    """The options that fix one training run: compare's, shared with experiment."""
    from backprop_lab.config import Config

    d = Config()
    p.add_argument("--samples", type=_positive_int, default=d.samples,
                   help="points generated (xor has its 21; default: the data set's recipe)")
    _add_network_and_training_options(p)
    p.add_argument("--data", metavar="PATH.csv",
                   help="your own points instead of --dataset: a CSV file of x0, x1 and a 0/1 label per row, "
                        "header optional")
    p.add_argument("--noise", type=_noise, default=d.noise,
                   help="0 to 1: blurs the classes' boundary (see README for what it does to each data set)")
    p.add_argument("--test-fraction", type=_fraction, default=d.test_fraction, metavar="F",
                   help="hold out this fraction of the points (seeded); both trainers train on the rest "
                        "and are scored on both")
    p.add_argument("--epochs", type=_positive_int, default=d.epochs)
    p.add_argument("--batch-size", type=_positive_int, default=None, help="default: the whole data set")
    p.add_argument("--exact", action="store_true",
                   help="matrix_net sums its products in the element-wise order: bitwise identical weights")
    p.add_argument("--optimizer", choices=options.OPTIMIZERS, default=d.optimizer)
    p.add_argument("--momentum", type=_decay, default=d.momentum, help="momentum: v = momentum * v + g")
    p.add_argument("--beta1", type=_decay, default=d.beta1, help="Adam's first-moment decay")
    p.add_argument("--beta2", type=_decay, default=d.beta2, help="Adam's second-moment decay")
    p.add_argument("--weight-decay", type=_non_negative_float, default=d.weight_decay, metavar="LAMBDA",
                   help="L2 weight decay: adds LAMBDA * w to each weight's gradient (biases do not decay)")
    p.add_argument("--stop-at-accuracy", type=_accuracy, default=d.stop_at_accuracy, metavar="A",
                   help="stop after the first epoch whose training accuracy reaches A (1 = 100%%)")


def _add_compare(subparsers):
    from backprop_lab.config import Config

    d = Config()
    p = subparsers.add_parser("compare", help="train both trainers side by side from the same start",
                              description="Train scalar_net and matrix_net from the same seeded start "
                                          "and print their losses, weights and timings side by side.")
    add_run_options(p)
    p.add_argument("--report-every", type=_positive_int, default=d.report_every, metavar="EPOCHS")
    p.add_argument("--json", metavar="PATH", help="write the run as JSON (see README)")
    p.add_argument("--plot", metavar="PATH",
                   help="write a PNG: ground truth, each trainer's decision boundary, learning curves; "
                        "and the neuron maps beside it, as PATH-neurons.png")
    p.add_argument("--animate", metavar="PATH.gif",
                   help="write a GIF: the decision boundary and the loss as training goes on")
    p.add_argument("--print-samples", type=_count, default=d.print_samples, metavar="N",
                   help=f"print the predictions of the first N samples (default {d.print_samples})")
    p.set_defaults(handler=_compare)


#: Options that only act in some configurations (see note_no_effect): those of
#: _add_network_and_training_options, and compare's.
NETWORK_CONDITIONAL = (
    ("leaky_slope", "--leaky-slope", lambda a: a.activation == "leaky-relu", "--activation leaky-relu"),
)
COMPARE_CONDITIONAL = NETWORK_CONDITIONAL + (
    ("samples", "--samples", lambda a: a.dataset != "xor", "a data set other than xor"),
    ("momentum", "--momentum", lambda a: a.optimizer == "momentum", "--optimizer momentum"),
    ("beta1", "--beta1", lambda a: a.optimizer == "adam", "--optimizer adam"),
    ("beta2", "--beta2", lambda a: a.optimizer == "adam", "--optimizer adam"),
)


def compare_bytes(config, json=False, points=None, pictures=False, snapshots=0):
    """What a compare run holds at most (backprop_lab.limits), from its sizes alone (``points``:
    the data's size, when it is not the data set's, as for a CSV file; ``pictures``: --plot or
    --animate asked for, ``snapshots`` of the parameters kept for an animation)."""
    from backprop_lab.data import size
    from backprop_lab.limits import data_bytes, history_bytes, network_bytes, picture_bytes

    points = size(config.dataset, config.samples) if points is None else points
    return (network_bytes(config.sizes) + data_bytes(points, config.sizes, config.batch_size)
            + history_bytes(config.epochs, json=json)
            + (picture_bytes(config.sizes, snapshots=snapshots) if pictures else 0))


#: Options a data set's recipe sets when they are not given (backprop_lab.data.recipes).
RECIPE_OPTIONS = ("hidden", "optimizer", "lr", "epochs", "samples")


def _data_options(args):
    """Config fields for the data, and the recipe's values for the options not given; BadInput
    on combinations that cannot apply."""
    from backprop_lab.data.recipes import recipe_for

    if args.data is not None:
        for dest, flag in (("dataset", "--dataset"), ("noise", "--noise"), ("samples", "--samples")):
            if dest in args.given:
                raise BadInput(f"argument {flag}: applies to the generated data sets, not to a CSV file (--data)")
    dataset = "csv" if args.data is not None else args.dataset
    recipe = recipe_for(dataset, csv=args.data is not None).options
    given = dict(hidden=tuple(args.hidden), optimizer=args.optimizer, lr=args.lr, epochs=args.epochs,
                 samples=args.samples)
    fields = {k: given[k] if k in args.given else recipe[k] for k in RECIPE_OPTIONS}
    return dict(dataset=dataset, data=args.data, noise=args.noise, test_fraction=args.test_fraction, **fields)


def _count_points(config):
    """(all points, held-out points) of the configured data, checked before any training."""
    from backprop_lab.data import size
    from backprop_lab.data.csvfile import load_csv
    from backprop_lab.data.split import held_out_count

    try:
        n = load_csv(config.data)[0].shape[0] if config.data else size(config.dataset, config.samples)
    except ValueError as error:
        raise BadInput(f"argument --data: {error}") from None
    try:
        return n, held_out_count(n, config.test_fraction)
    except ValueError as error:
        raise BadInput(f"argument --test-fraction: {error}") from None


def _compare(args):
    from backprop_lab.commands.compare import run as compare
    from backprop_lab.commands.compare import report
    from backprop_lab.config import Config

    config = Config(
        batch_size=args.batch_size, seed=args.seed, bias=args.bias, exact=args.exact,
        activation=args.activation, loss=args.loss, momentum=args.momentum,
        beta1=args.beta1, beta2=args.beta2, leaky_slope=args.leaky_slope, init=args.init,
        weight_decay=args.weight_decay, stop_at_accuracy=args.stop_at_accuracy,
        report_every=args.report_every, print_samples=args.print_samples, **_data_options(args))
    n, n_test = _count_points(config)
    if config.batch_size is not None and config.batch_size > n - n_test:
        held = f" minus the {n_test} held out" if n_test else ""
        raise BadInput(f"argument --batch-size: must be at most {n - n_test}, the size of the "
                       f"{config.data_name} data set{held}")
    every = None  # epochs between the animation's snapshots; the figures load matplotlib, so only if asked
    if args.animate:
        from backprop_lab.figures.animation import snapshot_every

        every = snapshot_every(config.epochs)
    frames = config.epochs // every + 2 if every else 0
    check_memory(compare_bytes(config, json=bool(args.json), points=n, pictures=bool(args.plot or args.animate),
                               snapshots=frames), args.allow_large)
    outputs = [("--json", args.json), ("--plot", args.plot), ("--animate", args.animate)]
    if args.plot:
        from backprop_lab.commands.compare.pictures import neurons_path

        outputs.append(("--plot", neurons_path(args.plot)))
    check_outputs(outputs)
    if args.animate is not None and not args.animate.lower().endswith(".gif"):  # Pillow picks the format by it
        raise BadInput(f"argument --animate: {args.animate!r} must end in .gif")
    note_no_effect(args, COMPARE_CONDITIONAL)
    print(report.header(config, points=n, test_points=n_test), flush=True)
    print(report.checkpoint_header(testing=n_test > 0), flush=True)
    progress = report.Progress(sys.stderr, config.epochs)

    def checkpoint(c):
        progress.clear()
        print(report.checkpoint_line(c), flush=True)

    try:
        comparison = compare.run_split(config, on_checkpoint=checkpoint, on_progress=progress.update,
                                       snapshot_every=every)
    except compare.Diverged as diverged:
        progress.clear()
        print(f"backprop-lab: {diverged}; stopped (try a smaller --lr)", file=sys.stderr)
        return EXIT_DIVERGED
    progress.clear()
    X, Y, scalar, matrix = comparison.X, comparison.Y, comparison.scalar, comparison.matrix
    y_hat = report.predictions(config, X, scalar, matrix)
    print(report.summary(config, X, Y, scalar, matrix, y_hat))
    if n_test:
        print(report.test_summary(config, comparison, y_hat))
    if args.json:
        from backprop_lab.files import write_json

        write_json(args.json, compare.json_document(config, comparison.initial, scalar, matrix,
                                                    test_points=n_test, training_points=n - n_test))
        print(f"wrote {args.json}")
    if args.plot:
        from backprop_lab.commands.compare.pictures import write_plots

        paths, seconds = write_plots(comparison, args.plot)
        print(f"wrote {' and '.join(paths)} (200 x 200 grids and drawing: {seconds:.2f} s)")
    if args.animate:
        from backprop_lab.commands.compare.pictures import write_animation

        frames = write_animation(comparison, args.animate)
        print(f"wrote {args.animate} ({frames} frames)")
    return 0


def _add_trace(subparsers):
    p = subparsers.add_parser("trace", help="one step of backpropagation with every number",
                              description="Print one training step of the network, neuron by neuron and as "
                                          "matrices, with every number as both trainers compute it.")
    _add_network_and_training_options(p)
    batch = p.add_mutually_exclusive_group()
    batch.add_argument("--sample", type=_positive_int, metavar="K", help="the data set's sample K (default: 1)")
    batch.add_argument("--samples", type=_positive_int, nargs="+", metavar="K",
                       help="a small batch of the data set's samples K1 K2 ... (at most 10)")
    batch.add_argument("--input", type=_finite_number, nargs=2, metavar=("X0", "X1"), help="a point of your own")
    p.add_argument("--target", type=_finite_number, metavar="Y", help="its label (with --input), between 0 and 1")
    p.add_argument("--params", metavar="PATH.json",
                   help="start from these weights: compare --json's file, or a list W1, b1, W2, ... of nested lists")
    p.add_argument("--digits", type=_positive_int, default=6, help="significant digits printed (17: every bit)")
    p.add_argument("--markdown", metavar="PATH", help="write the trace as Markdown with LaTeX")
    p.add_argument("--diagram", metavar="PATH.png", help="draw the network with the step's numbers")
    p.set_defaults(handler=_trace)


def _trace(args):
    from backprop_lab.commands.trace import command as trace_command

    return trace_command.main(args, BadInput)


def _add_experiment(subparsers):
    import os

    from backprop_lab.commands.experiment import catalogue

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
    add_run_options(p)
    p.set_defaults(handler=_experiment)


def _experiment(args):
    import time

    from backprop_lab.commands.experiment import command as experiment
    from backprop_lab.commands.experiment import report as experiment_report
    from backprop_lab.commands.experiment import seed_runs

    try:
        plan = experiment.plan(args.name, args.values, args.seeds, experiment.given_fields(args), args.check)
        experiment.check_out(args.out, plan)
    except experiment.PlanError as error:
        raise BadInput(str(error)) from None
    tasks = plan.tasks()
    # Memory: every run's history is kept until the report is written (backprop_lab.limits).
    from backprop_lab.limits import history_bytes

    check_memory(max(compare_bytes(t.config) for t in tasks) * args.jobs
                 + len(tasks) * history_bytes(max(t.config.epochs for t in tasks), trainers=1), args.allow_large)
    print(f"experiment {args.name}: {len(plan.settings)} settings x {len(plan.datasets)} data set(s) x "
          f"{len(plan.seeds)} seeds = {len(tasks)} runs on {args.jobs} process(es)", flush=True)
    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread: the worker processes are forked (seed_runs)
    start = time.perf_counter()
    with tqdm(total=len(tasks), unit="run", dynamic_ncols=True, disable=None) as bar:  # None: a terminal only
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
    from derivations.documents import DEFAULT_OUT, file_names
    from backprop_lab.files import OutputError, check_folder_contents

    if not args.check:
        out = args.out if args.out is not None else str(DEFAULT_OUT)
        check_outputs([("--out/", out)])
        try:
            check_folder_contents(out, file_names())
        except OutputError as error:
            raise BadInput(f"cannot write --out {out!r}: {error}") from None
    return derive([*(["--out", args.out] if args.out is not None else []), *(["--check"] if args.check else [])])


def _add_bench(subparsers):
    p = subparsers.add_parser("bench", help="turn a saved benchmark run into a table and plots",
                              add_help=False, prefix_chars="\0")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(handler=_bench)


def _bench(args):
    from backprop_lab.commands import bench

    return bench.main(args.rest)


def parser():
    from backprop_lab.commands.check import command as check_command
    from backprop_lab.commands.exercise import command as exercise_command

    top = OneLineParser(prog="backprop-lab", description=__doc__.splitlines()[0])
    subparsers = top.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    _add_compare(subparsers)
    _add_experiment(subparsers)
    _add_trace(subparsers)
    _add_derive(subparsers)
    _add_bench(subparsers)
    exercise_command.add_parser(subparsers)
    check_command.add_parser(subparsers)
    return top


def _write_failed(error):
    """One line for an OSError that only showed while writing (a full disk, stdout on a full device)."""
    where = error.filename if error.filename else "to standard output"
    return f"backprop-lab: error: cannot write {where}: {error.strerror or error}"


def _silence_stdout():
    """After stdout failed, point it at /dev/null: Python's final flush would fail (and print) again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (tests capture it)
        pass


def main(argv=None):
    """Run one command; return its exit status (see the module's docstring)."""
    with signals.handled(), warnings.catch_warnings():
        # Problems are reported as errors; a warning (NumPy's overflow at a huge step, matplotlib's
        # on extreme values) would only be noise in the user's terminal.
        warnings.simplefilter("ignore")
        try:
            args = parser().parse_args(argv)
            args.argv = list(sys.argv[1:] if argv is None else argv)
            status = args.handler(args)
            sys.stdout.flush()
            signals.raise_pending()  # never exit 0 after a Ctrl-C that some callee swallowed
            return status
        except BadInput as error:
            print(f"backprop-lab: error: {error}", file=sys.stderr)
            return EXIT_BAD_INPUT
        except KeyboardInterrupt:
            return signals.EXIT_INTERRUPTED
        except signals.Terminated:
            return signals.EXIT_TERMINATED
        except BrokenPipeError:  # e.g. piped into `head`: the reader has what it wanted
            _silence_stdout()
            return 0
        except OSError as error:
            _silence_stdout()
            print(_write_failed(error), file=sys.stderr)
            return EXIT_FAILED
        except MemoryError:
            print("backprop-lab: error: out of memory (the estimate of backprop_lab/limits.py was too low; "
                  "please report the command)", file=sys.stderr)
            return EXIT_FAILED
