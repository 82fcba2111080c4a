"""The ``backprop-lab`` command: ``compare`` (both trainers side by side), ``derive``, ``bench``.

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


@_argument_type("noise in [0, 1]")
def _noise(text):
    value = _finite_float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {text}")
    return value


@_argument_type("fraction in [0, 1)")
def _fraction(text):
    value = _finite_float(text)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 0 and below 1, got {text}")
    return value


@_argument_type("seed")
def _seed(text):
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a non-negative integer, got {value}")
    return value


def _add_compare(subparsers):
    from backprop_lab.config import Config

    d = Config()
    p = subparsers.add_parser("compare", help="train both trainers side by side from the same start",
                              description="Train scalar_net and matrix_net from the same seeded start "
                                          "and print their losses, weights and timings side by side.")
    p.add_argument("--dataset", choices=DATASETS, default=None,
                   help=f"a generated data set (default: {d.dataset}); each has a recipe (README) that sets "
                        "--hidden, --optimizer, --lr, --epochs and --samples unless you give them")
    p.add_argument("--data", metavar="PATH.csv",
                   help="your own points instead: a CSV file of x0, x1 and a 0/1 label per row, header optional")
    p.add_argument("--samples", type=_positive_int, default=None, help="points generated (xor has its 21)")
    p.add_argument("--noise", type=_noise, default=None,
                   help="0 to 1: blurs the classes' boundary (see README for what it does to each set)")
    p.add_argument("--test-fraction", type=_fraction, default=d.test_fraction, metavar="F",
                   help="hold out this fraction of the points (seeded); both trainers train on the rest "
                        "and are scored on both")
    p.add_argument("--hidden", type=_positive_int, nargs="+", default=None, metavar="WIDTH",
                   help="hidden layer widths (default: the data set's recipe; 4 4 for the lab's sets)")
    p.add_argument("--epochs", type=_positive_int, default=None, help="default: the data set's recipe")
    p.add_argument("--lr", type=_positive_float, default=None, help="learning rate (default: the data set's recipe)")
    p.add_argument("--batch-size", type=_positive_int, default=None, help="default: the whole data set")
    p.add_argument("--seed", type=_seed, default=d.seed, help="fixes the data and the initial weights")
    p.add_argument("--no-bias", dest="bias", action="store_false", help="the lab spec's bias-free network")
    p.add_argument("--exact", action="store_true",
                   help="matrix_net sums its products in the element-wise order: bitwise identical weights")
    p.add_argument("--activation", choices=options.ACTIVATIONS, default=d.activation,
                   help="hidden layers' activation (the output is always a sigmoid)")
    p.add_argument("--leaky-slope", type=_finite_float, default=d.leaky_slope, help="leaky ReLU's slope for z < 0")
    p.add_argument("--loss", choices=options.LOSSES, default=d.loss)
    p.add_argument("--optimizer", choices=options.OPTIMIZERS, default=None, help="default: the data set's recipe")
    p.add_argument("--momentum", type=_decay, default=d.momentum, help="momentum: v = momentum * v + g")
    p.add_argument("--beta1", type=_decay, default=d.beta1, help="Adam's first-moment decay")
    p.add_argument("--beta2", type=_decay, default=d.beta2, help="Adam's second-moment decay")
    p.add_argument("--init", choices=options.INITS, default=d.init, help="initial weight distribution")
    p.add_argument("--report-every", type=_positive_int, default=d.report_every, metavar="EPOCHS")
    p.add_argument("--json", metavar="PATH", help="write the run as JSON (see README)")
    p.add_argument("--plot", metavar="PATH",
                   help="write a PNG: ground truth, each trainer's decision boundary, learning curves; "
                        "and the neuron maps beside it, as PATH-neurons.png")
    p.add_argument("--animate", metavar="PATH.gif",
                   help="write a GIF: the decision boundary and the loss as training goes on")
    p.set_defaults(handler=_compare)


def _data_options(args):
    """Config fields for the data and the recipe's defaults, from the arguments; BadInput on conflicts."""
    from backprop_lab.data.recipes import recipe_for

    if args.data and args.dataset:
        raise BadInput("argument --data: give either --data or --dataset, not both")
    for given, name in ((args.noise, "--noise"), (args.samples, "--samples")):
        if args.data and given is not None:
            raise BadInput(f"argument {name}: applies to the generated data sets, not to a CSV file (--data)")
    dataset = "csv" if args.data else (args.dataset or "xor")
    recipe = recipe_for(dataset, csv=bool(args.data))
    chosen = dict(hidden=tuple(args.hidden) if args.hidden else None, optimizer=args.optimizer, lr=args.lr,
                  epochs=args.epochs, samples=args.samples)
    fields = {k: (v if chosen[k] is None else chosen[k]) for k, v in recipe.options.items()}
    if args.data:
        fields["samples"] = 0
    return dict(dataset=dataset, data=args.data, noise=args.noise or 0.0, test_fraction=args.test_fraction,
                **fields)


def _count_points(config):
    """(all points, test points) of the configured data, checked without training; BadInput if unusable."""
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
    from backprop_lab.commands import compare, report
    from backprop_lab.config import Config
    from backprop_lab.files import check_writable

    config = Config(
        batch_size=args.batch_size, seed=args.seed, bias=args.bias, exact=args.exact,
        activation=args.activation, loss=args.loss, momentum=args.momentum,
        beta1=args.beta1, beta2=args.beta2, leaky_slope=args.leaky_slope, init=args.init,
        report_every=args.report_every, **_data_options(args))
    n, n_test = _count_points(config)
    if config.batch_size is not None and config.batch_size > n - n_test:
        held = f" minus the {n_test} held out" if n_test else ""
        raise BadInput(f"argument --batch-size: must be at most {n - n_test}, the size of the "
                       f"{config.data_name} data set{held}")
    if args.animate and not args.animate.lower().endswith(".gif"):
        raise BadInput(f"argument --animate: {args.animate} must end in .gif")
    outputs = [args.json, args.plot, args.animate]
    if args.plot:
        from backprop_lab.commands.pictures import neurons_path

        outputs.append(neurons_path(args.plot))
    for path in outputs:
        if path:
            try:
                check_writable(path)
            except OSError as error:
                raise BadInput(f"cannot write {path}: {error.strerror or error}") from None
    print(report.header(config, points=n, test_points=n_test), flush=True)
    print(report.checkpoint_header(testing=n_test > 0), flush=True)
    from backprop_lab.figures.animation import snapshot_every

    try:
        comparison = compare.run_split(
            config, on_checkpoint=lambda c: print(report.checkpoint_line(c), flush=True),
            snapshot_every=snapshot_every(config.epochs) if args.animate else None)
    except compare.Diverged as diverged:
        print(f"backprop-lab: {diverged}; stopped (try a smaller --lr)", file=sys.stderr)
        return EXIT_DIVERGED
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
        from backprop_lab.commands.pictures import write_plots

        paths, seconds = write_plots(comparison, args.plot)
        print(f"wrote {' and '.join(paths)} (200 x 200 grids and drawing: {seconds:.2f} s)")
    if args.animate:
        from backprop_lab.commands.pictures import write_animation

        frames = write_animation(comparison, args.animate)
        print(f"wrote {args.animate} ({frames} frames)")
    return 0


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
    _add_derive(subparsers)
    _add_bench(subparsers)
    return top


def main(argv=None):
    try:
        args = parser().parse_args(argv)
        return args.handler(args)
    except BadInput as error:
        print(f"backprop-lab: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. piped into `head`: the reader has what it wanted
        sys.stderr.close()
        return 0
