"""The ``backprop-lab`` command: ``compare`` (both trainers side by side), ``trace``, ``derive``, ``bench``.

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


def _add_network_and_training_options(p):
    """The options ``compare`` and ``trace`` share: the data set, the network, its start and its step."""
    from backprop_lab.config import Config

    d = Config()
    p.add_argument("--dataset", choices=DATASETS, default=d.dataset)
    p.add_argument("--hidden", type=_positive_int, nargs="+", default=list(d.hidden), metavar="WIDTH",
                   help="hidden layer widths (default: 4 4)")
    p.add_argument("--lr", type=_positive_float, default=d.lr, help="learning rate")
    p.add_argument("--seed", type=_seed, default=d.seed, help="fixes the data and the initial weights")
    p.add_argument("--no-bias", dest="bias", action="store_false", help="the lab spec's bias-free network")
    p.add_argument("--activation", choices=options.ACTIVATIONS, default=d.activation,
                   help="hidden layers' activation (the output is always a sigmoid)")
    p.add_argument("--leaky-slope", type=_finite_float, default=d.leaky_slope, help="leaky ReLU's slope for z < 0")
    p.add_argument("--loss", choices=options.LOSSES, default=d.loss)
    p.add_argument("--init", choices=options.INITS, default=d.init, help="initial weight distribution")


def _add_compare(subparsers):
    from backprop_lab.config import Config

    d = Config()
    p = subparsers.add_parser("compare", help="train both trainers side by side from the same start",
                              description="Train scalar_net and matrix_net from the same seeded start "
                                          "and print their losses, weights and timings side by side.")
    p.add_argument("--samples", type=_positive_int, default=d.samples, help="points in the linear data set")
    _add_network_and_training_options(p)
    p.add_argument("--epochs", type=_positive_int, default=d.epochs)
    p.add_argument("--batch-size", type=_positive_int, default=None, help="default: the whole data set")
    p.add_argument("--exact", action="store_true",
                   help="matrix_net sums its products in the element-wise order: bitwise identical weights")
    p.add_argument("--optimizer", choices=options.OPTIMIZERS, default=d.optimizer)
    p.add_argument("--momentum", type=_decay, default=d.momentum, help="momentum: v = momentum * v + g")
    p.add_argument("--beta1", type=_decay, default=d.beta1, help="Adam's first-moment decay")
    p.add_argument("--beta2", type=_decay, default=d.beta2, help="Adam's second-moment decay")
    p.add_argument("--report-every", type=_positive_int, default=d.report_every, metavar="EPOCHS")
    p.add_argument("--json", metavar="PATH", help="write the run as JSON (see README)")
    p.add_argument("--plot", metavar="PATH", help="write a PNG: ground truth, predictions, learning curves")
    p.set_defaults(handler=_compare)


def _compare(args):
    from backprop_lab.commands import compare, report
    from backprop_lab.config import Config
    from backprop_lab.data import size
    from backprop_lab.files import check_writable

    config = Config(
        dataset=args.dataset, samples=args.samples, hidden=tuple(args.hidden), epochs=args.epochs,
        lr=args.lr, batch_size=args.batch_size, seed=args.seed, bias=args.bias, exact=args.exact,
        activation=args.activation, loss=args.loss, optimizer=args.optimizer, momentum=args.momentum,
        beta1=args.beta1, beta2=args.beta2, leaky_slope=args.leaky_slope, init=args.init,
        report_every=args.report_every)
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


def _add_trace(subparsers):
    p = subparsers.add_parser("trace", help="one step of backpropagation with every number",
                              description="Print one training step of the network, neuron by neuron and as "
                                          "matrices, with every number as both trainers compute it.")
    _add_network_and_training_options(p)
    batch = p.add_mutually_exclusive_group()
    batch.add_argument("--sample", type=_positive_int, metavar="K", help="the data set's sample K (default: 1)")
    batch.add_argument("--samples", type=_positive_int, nargs="+", metavar="K",
                       help="a small batch of the data set's samples K1 K2 ... (at most 10)")
    batch.add_argument("--input", type=_finite_float, nargs=2, metavar=("X0", "X1"), help="a point of your own")
    p.add_argument("--target", type=_finite_float, metavar="Y", help="its label (with --input), between 0 and 1")
    p.add_argument("--params", metavar="PATH.json",
                   help="start from these weights: compare --json's file, or a list W1, b1, W2, ... of nested lists")
    p.add_argument("--digits", type=_positive_int, default=6, help="significant digits printed (17: every bit)")
    p.add_argument("--markdown", metavar="PATH", help="write the trace as Markdown with LaTeX")
    p.add_argument("--diagram", metavar="PATH.png", help="draw the network with the step's numbers")
    p.set_defaults(handler=_trace)


def _trace(args):
    from backprop_lab.commands import trace_command

    return trace_command.main(args, BadInput)


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
    _add_trace(subparsers)
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
