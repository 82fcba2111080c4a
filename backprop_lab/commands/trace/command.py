"""``backprop-lab trace``: from the command line's options to the printed step and its files."""

import sys

import numpy as np

from backprop_lab import options
from backprop_lab.commands.shared import argument_types as types
from backprop_lab.commands.shared.checks import (check_figure_formats, check_memory, check_outputs, loss_for,
                                                 network_bytes)
from backprop_lab.commands.shared.errors import EXIT_FAILED, BadInput
from backprop_lab.commands.shared.parser import note_no_effect
from backprop_lab.commands.shared.run_options import RUN_CONDITIONAL, STEP_CONDITIONAL, add_run_options
from backprop_lab.config import Config, prepare
from backprop_lab.data import size
from backprop_lab.formatting import point_written
from backprop_lab.limits import data_bytes, diagram_bytes, history_bytes

#: At most this many samples in a traced batch: each one adds a forward and a backward pass.
MAX_SAMPLES = 10
EXIT_MISMATCH = 1
#: Significant digits: 17 print every bit of a double (its shortest round-trip form needs at most 17).
MAX_DIGITS = 17

digits = types.checked("digits", int, lambda v: 1 <= v <= MAX_DIGITS,
                       f"between 1 and {MAX_DIGITS} ({MAX_DIGITS} prints every bit of a double)")
#: trace's options that act only in some configurations (note_no_effect): the step's, momentum's
#: without --optimizer momentum, and those that --params (the weights) and --input (the point) make idle.
TRACE_CONDITIONAL = STEP_CONDITIONAL + tuple(c for c in RUN_CONDITIONAL if c[0] in ("momentum", "momentum_form")) + (
    ("init", "--init", lambda a: a.params is None, "the seeded initial weights (--params replaces them)"),
    ("seed", "--seed", lambda a: a.params is None or (a.dataset not in ("xor", "digits") and a.data is None
                                                      and (a.input is None or a.after_epochs)),
     "the seeded weights (--params replaces them) or a data set of random points (xor's, the digits' and a "
     "--data file's are fixed)"),
    ("dataset", "--dataset", lambda a: a.input is None or bool(a.after_epochs) or a.dataset == "digits"
     or a.classes != 2, "--after-epochs, when --input gives the point"),  # the digits and K classes set the widths
)


def add_parser(subparsers):
    p = subparsers.add_parser("trace", help="one step of backpropagation with every number",
                              description="Print one training step of the network, neuron by neuron and as "
                                          "matrices, with every number as both trainers compute it.")
    groups = add_run_options(p, step_only=True, classes=True)
    groups["network"].add_argument(
        "--params", type=types.input_file, metavar="PATH.json",
        help="start from these weights: compare --json's file (its initial weights), or a list W1, b1, W2, ... "
             "of nested lists (default: the seeded initial weights, as compare starts from)")
    groups["network"].add_argument(
        "--final", action="store_true",
        help="with --params compare --json's file: start from its final weights (scalar_net's at the end of "
             "that run) (default: its initial weights)")
    groups["training"].add_argument(
        "--after-epochs", type=types.positive_int, metavar="K",
        help="first train K epochs on the data set's points, full batch, plain gradient descent at --lr, "
             "with both trainers, then trace one step from the weights they reach (default: trace the "
             "first step)")
    groups["training"].add_argument(
        "--optimizer", choices=("sgd", "momentum"), default="sgd",
        help="the traced step's update: w -= lr * dL/dw, or momentum's first step from v = 0, "
             "v = B * 0 + g or B * 0 + (1 - B) * g, w -= lr * v (default: sgd)")
    groups["training"].add_argument(
        "--momentum", type=types.decay, default=options.DEFAULT_MOMENTUM, metavar="B",
        help=f"momentum's decay, with --optimizer momentum (default: {options.DEFAULT_MOMENTUM})")
    groups["training"].add_argument(
        "--momentum-form", choices=options.MOMENTUM_FORMS, default="classic",
        help="momentum's velocity: classic v = B * v + g, or average v = B * v + (1 - B) * g, with "
             "--optimizer momentum (default: classic)")
    traced = p.add_argument_group("the traced batch")
    batch = traced.add_mutually_exclusive_group()
    batch.add_argument("--sample", type=types.positive_int, metavar="K",
                       help="the data set's sample K (default: 1)")
    batch.add_argument("--samples", type=types.positive_int, nargs="+", metavar="K",
                       action=types.at_most(MAX_SAMPLES, "samples"),
                       help=f"a small batch of the data set's samples K1 K2 ..., at most {MAX_SAMPLES} "
                            "(default: one sample, --sample)")
    batch.add_argument("--input", type=types.finite_number, nargs="+", metavar="X",
                       help="a point of your own, one number per input (x0 x1 on the plane), its label given "
                            "with --target (default: a sample)")
    traced.add_argument("--target", type=types.finite_number, metavar="Y",
                        help="the label of the --input point: between 0 and 1 for two classes, the class 0..K-1 "
                             "for K (required with --input)")
    output = p.add_argument_group("output")
    output.add_argument("--digits", type=digits, default=6, metavar="D",
                        help=f"significant digits printed, 1 to {MAX_DIGITS}; {MAX_DIGITS} prints every bit "
                             "(default: %(default)s)")
    output.add_argument("--markdown", metavar="PATH",
                        help="also write the trace as Markdown with LaTeX (default: not written)")
    output.add_argument("--diagram", metavar="PATH",
                        help="also draw the network with the step's numbers, as .png, .pdf, .svg, ... by PATH's "
                             "extension (default: not drawn)")
    return p


def config_of(args, points):
    """The run's Config: with --after-epochs K, K epochs of compare's defaults (full batch, sgd, no
    points held out) with the trace's options; otherwise the one traced epoch.  The net's input
    and output widths and its loss come from the data (``points``, the --data file's (X, Y), or
    None for --dataset): K >= 3 classes take K softmax outputs and cross-entropy."""
    from backprop_lab.data import CLASS_SETS, classes_of, inputs_of

    if points is not None:
        for dest in ("dataset", "classes"):
            if dest in args.given:
                raise BadInput(f"argument --{dest}: applies to the generated data sets, not to a CSV file (--data)")
        inputs, classes = points[0].shape[1], int(points[1].max()) + 1
    elif args.classes != 2 and args.dataset not in CLASS_SETS:
        raise BadInput(f"argument --classes: K classes come with --dataset {' or '.join(CLASS_SETS)}; "
                       f"{args.dataset} has its own")
    else:
        inputs = inputs_of(args.dataset)
        classes = classes_of(args.dataset, args.classes)
    loss = loss_for(args.loss, classes)
    return Config(dataset="csv" if points is not None else args.dataset, data=args.data, classes=classes,
                  inputs=inputs, hidden=tuple(args.hidden), lr=args.lr, seed=args.seed, bias=args.bias,
                  activation=args.activation, leaky_slope=args.leaky_slope, loss=loss, init=args.init,
                  optimizer=args.optimizer, momentum=args.momentum, momentum_form=args.momentum_form,
                  epochs=args.after_epochs or 1, exact=True)


def read_points(args):
    """The --data file's (X, Y), read once (a FIFO cannot be read twice), or None for --dataset."""
    from backprop_lab.data.csvfile import load_csv

    if args.data is None:
        return None
    try:
        return load_csv(args.data)
    except ValueError as error:
        raise BadInput(f"argument --data: {error}") from None


def batch_of(args, config, X, Y):
    """(X, Y, labels) of the traced batch, from --sample, --samples or --input/--target."""
    if args.input is not None:
        if args.target is None:
            raise BadInput("argument --input: give the point's label with --target")
        inputs = config.sizes[0]
        if len(args.input) != inputs:
            raise BadInput(f"argument --input: the network has {inputs} inputs, the data's features; give "
                           f"{inputs} numbers, not {len(args.input)}")
        outputs = config.sizes[-1]
        if outputs == 1 and not 0 <= args.target <= 1:
            raise BadInput(f"argument --target: must be between 0 and 1, got {args.target:g}")
        if outputs > 1 and args.target not in range(outputs):
            raise BadInput(f"argument --target: the class of your point, a whole number from 0 to {outputs - 1} "
                           f"({outputs} classes), got {args.target:g}")
        return np.array([args.input], dtype=np.float64), np.array([[args.target]]), ["your point"]
    if args.target is not None:
        raise BadInput("argument --target: only with --input x0 x1")
    chosen = args.samples or [args.sample or 1]
    n = X.shape[0]
    for k in chosen:
        if k > n:
            option = "--samples" if args.samples else "--sample"
            raise BadInput(f"argument {option}: must be at most {n}, the size of the {config.data_name} data set")
    rows = [k - 1 for k in chosen]
    return X[rows], Y[rows], [f"{config.data_name} sample {k}" for k in chosen]


def start_of(config, args, points, epochs_in_file=None):
    """Where the traced step starts from, for the header: the seeded, a file's or trained weights."""
    if args.params and args.final:
        trained = (f" after the {epochs_in_file} epoch{'s' if epochs_in_file != 1 else ''} of its run"
                   if epochs_in_file else "")
        start = f"the final weights in {args.params} (scalar_net's{trained})"
    elif args.params:
        start = f"the weights in {args.params}"
    else:
        start = f"the seeded initial weights (seed {config.seed}, init {config.init}, as compare starts from)"
    if not args.after_epochs:
        return start
    k = args.after_epochs
    return (f"the weights after {k} epoch{'s' if k != 1 else ''} of full-batch sgd at lr {config.lr:g} on the "
            f"{points} points of {config.data_name}, from {start}; scalar_net and matrix_net (exact) reach them "
            "to the last bit")


def header(config, step, start, args, digits, points):
    """The lines above the trace: what was traced, from where (``start``), of the data's ``points``
    points, and what was checked."""
    net = "-".join(map(str, step.sizes))
    m = step.X.shape[0]
    if args.input is not None:
        batch = "your point"
    elif m == 1:
        batch = f"{step.labels[0]} of {points}"
    if m == 1:
        number = lambda v: f"{v:.{digits}g}"  # noqa: E731
        batch += f": {point_written(step.X[0], number)}, y = {number(step.Y[0, 0])}"
    else:
        batch = f"{config.data_name} samples {', '.join(label.rsplit(' ', 1)[1] for label in step.labels)}"
    L, K = len(step.sizes) - 1, step.sizes[-1]
    output = f"softmax output ({K} classes)" if K > 1 else "sigmoid output"
    inputs = "x0, x1" if step.sizes[0] == 2 else f"x0, ..., x{step.sizes[0] - 1}"
    return [
        f"backprop-lab trace: one training step of the {net} network {'with' if config.bias else 'without'} bias, "
        f"{config.activation} hidden / {output}, {config.loss} loss, {update_rule(config)} with lr {config.lr:g}",
        f"start: {start}",
        f"batch: {batch} (m = {m})",
        f"names: layer 0 is the inputs {inputs}; z{L - 1}[j], a{L - 1}[j], δ{L - 1}[j] = ∂L/∂z{L - 1}[j] belong to "
        f"neuron j of layer {L - 1}; W{L}[i,j] is the weight from neuron i of layer {L - 1} to neuron j of layer {L}",
        "every number is scalar_net's (element-wise); matrix_net in exact mode, both trainers' batch_gradient and "
        "one epoch of each trainer's train() on this batch give the same numbers to the last bit",
        f"numbers to {digits} significant digits (--digits 17 prints every bit)",
    ]


def update_rule(config):
    """The traced step's update, as the header and section 4 write it."""
    if config.optimizer != "momentum":
        return "w ← w − lr·∂L/∂w"
    taken = "(1 − β)·∂L/∂w" if config.momentum_form == "average" else "∂L/∂w"
    return f"v ← β·v + {taken} from v = 0, w ← w − lr·v, β = {config.momentum:g}"


def derivations_folder():
    """derivations/generated/ of the installed package, found without importing sympy."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("derivations")
    return Path(list(spec.submodule_search_locations)[0]) / "generated"


def write_outputs(args, step, markdown):
    """--markdown and --diagram, written both or neither (backprop_lab.files.outputs)."""
    from backprop_lab import files

    wrote = []
    with files.outputs() as run:
        if args.markdown:
            run.text(args.markdown, markdown)
            wrote.append(f"\nwrote {args.markdown}")
        if args.diagram:
            from backprop_lab.figures import diagram
            from backprop_lab.figures.save import figure_writer

            run.file(args.diagram, figure_writer(diagram.figure(step), args.diagram))
            wrote.append(f"wrote {args.diagram}")
        for line in wrote:
            print(line)


def run(args):
    from backprop_lab.commands.trace import params as trace_params
    from backprop_lab.commands.trace import step as trace
    from backprop_lab.commands.trace import text as trace_text

    if args.final and not args.params:
        raise BadInput("argument --final: only with --params PATH.json, compare --json's file")
    data = read_points(args)
    config = config_of(args, data)
    points = size(config.dataset, config.samples) if data is None else data[0].shape[0]
    trained = (data_bytes(points, config.sizes, None) + history_bytes(args.after_epochs)) if args.after_epochs else 0
    drawn = diagram_bytes(config.sizes) if args.diagram else 0
    check_memory(network_bytes(config.sizes) + data_bytes(points, config.sizes, MAX_SAMPLES) + trained + drawn,
                 args.allow_large)
    check_outputs([("--markdown", args.markdown), ("--diagram", args.diagram)], inputs=[("--params", args.params)])
    check_figure_formats([("--diagram", args.diagram)])
    X, Y, params = prepare(config, data)
    epochs_in_file = None
    if args.params:
        try:
            loaded = trace_params.load_params(args.params, config.sizes, config.bias, final=args.final)
        except trace_params.BadParams as error:
            raise BadInput(str(error)) from None
        params, epochs_in_file = loaded.params, loaded.epochs
    X_batch, Y_batch, labels = batch_of(args, config, X, Y)
    note_no_effect(args, TRACE_CONDITIONAL)
    digits = args.digits
    start = start_of(config, args, points, epochs_in_file)
    try:
        if args.after_epochs:
            from backprop_lab.commands.trace import training

            try:
                params = training.train(config, X, Y, params, args.after_epochs)
            except training.Diverged as error:
                print(f"backprop-lab: trace: {error}", file=sys.stderr)
                return EXIT_FAILED
        with np.errstate(over="ignore", invalid="ignore"):  # an overflow shows in the numbers as inf or nan
            step = trace.run(config, X_batch, Y_batch, params, labels)
            lines = header(config, step, start, args, digits, points)
            text = trace_text.render(step, digits, lines)
            if args.markdown:
                from backprop_lab.commands.trace import markdown as trace_markdown

                markdown = trace_markdown.render(step, digits, lines, args.markdown, derivations_folder())
    except trace.Mismatch as error:
        print(f"backprop-lab: trace: {error}", file=sys.stderr)
        return EXIT_MISMATCH
    print(text, end="", flush=True)
    write_outputs(args, step, markdown if args.markdown else None)
    return 0
