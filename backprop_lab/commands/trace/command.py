"""``backprop-lab trace``: from the command line's options to the printed step and its files."""

import sys

import numpy as np

from backprop_lab.config import Config, prepare
from backprop_lab.data import size
from backprop_lab.files import OutputError, check_outputs
from backprop_lab.limits import data_bytes, network_bytes, refusal

#: At most this many samples in a traced batch: each one adds a forward and a backward pass.
MAX_SAMPLES = 10
EXIT_MISMATCH = 1


def config_of(args):
    return Config(dataset=args.dataset, hidden=tuple(args.hidden), lr=args.lr, seed=args.seed, bias=args.bias,
                  activation=args.activation, leaky_slope=args.leaky_slope, loss=args.loss, init=args.init,
                  epochs=1, exact=True)


def batch_of(args, config, X, Y, BadInput):
    """(X, Y, labels) of the traced batch, from --sample, --samples or --input/--target."""
    if args.input is not None:
        if args.target is None:
            raise BadInput("argument --input: give the point's label with --target")
        if not 0 <= args.target <= 1:
            raise BadInput(f"argument --target: must be between 0 and 1, got {args.target:g}")
        return np.array([args.input], dtype=np.float64), np.array([[args.target]]), ["your point"]
    if args.target is not None:
        raise BadInput("argument --target: only with --input x0 x1")
    chosen = args.samples or [args.sample or 1]
    if len(chosen) > MAX_SAMPLES:
        raise BadInput(f"argument --samples: at most {MAX_SAMPLES} samples, got {len(chosen)}")
    n = X.shape[0]
    for k in chosen:
        if k > n:
            option = "--samples" if args.samples else "--sample"
            raise BadInput(f"argument {option}: must be at most {n}, the size of the {config.dataset} data set")
    rows = [k - 1 for k in chosen]
    return X[rows], Y[rows], [f"{config.dataset} sample {k}" for k in chosen]


def header(config, step, args, digits):
    """The lines above the trace: what was traced, from where, and what was checked."""
    net = "-".join(map(str, step.sizes))
    m = step.X.shape[0]
    start = (f"the weights in {args.params}" if args.params
             else f"the seeded initial weights (seed {config.seed}, init {config.init}, as compare starts from)")
    if args.input is not None:
        batch = "your point"
    elif m == 1:
        batch = f"{step.labels[0]} of {size(config.dataset)}"
    if m == 1:
        batch += f": x0 = {step.X[0, 0]:.{digits}g}, x1 = {step.X[0, 1]:.{digits}g}, y = {step.Y[0, 0]:.{digits}g}"
    else:
        batch = f"{config.dataset} samples {', '.join(label.rsplit(' ', 1)[1] for label in step.labels)}"
    L = len(step.sizes) - 1
    return [
        f"backprop-lab trace: one training step of the {net} network {'with' if config.bias else 'without'} bias, "
        f"{config.activation} hidden / sigmoid output, {config.loss} loss, w ← w − lr·∂L/∂w with lr {config.lr:g}",
        f"start: {start}",
        f"batch: {batch} (m = {m})",
        f"names: layer 0 is the inputs x0, x1; z{L - 1}[j], a{L - 1}[j], δ{L - 1}[j] = ∂L/∂z{L - 1}[j] belong to "
        f"neuron j of layer {L - 1}; W{L}[i,j] is the weight from neuron i of layer {L - 1} to neuron j of layer {L}",
        "every number is scalar_net's (element-wise); matrix_net in exact mode, both trainers' batch_gradient and "
        "one epoch of each trainer's train() on this batch give the same numbers to the last bit",
        f"numbers to {digits} significant digits (--digits 17 prints every bit)",
    ]


def derivations_folder():
    """derivations/generated/ of the installed package, found without importing sympy."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("derivations")
    return Path(list(spec.submodule_search_locations)[0]) / "generated"


def main(args, BadInput):
    from backprop_lab.commands.trace import step as trace
    from backprop_lab.commands.trace import text as trace_text

    config = config_of(args)
    why = refusal(network_bytes(config.sizes) + data_bytes(size(config.dataset, config.samples), config.sizes,
                                                           MAX_SAMPLES), args.allow_large)
    if why:
        raise BadInput(why)
    try:
        check_outputs([("--markdown", args.markdown), ("--diagram", args.diagram)])
    except OutputError as error:
        raise BadInput(str(error)) from None
    X, Y, params = prepare(config)
    if args.params:
        try:
            params = trace.load_params(args.params, config.sizes, config.bias)
        except trace.BadParams as error:
            raise BadInput(str(error)) from None
    X, Y, labels = batch_of(args, config, X, Y, BadInput)
    if args.digits > 17:
        raise BadInput(f"argument --digits: at most 17 (enough for every bit of a double), got {args.digits}")
    from backprop_lab.commands.cli import NETWORK_CONDITIONAL, note_no_effect

    note_no_effect(args, NETWORK_CONDITIONAL)
    digits = args.digits
    try:
        with np.errstate(over="ignore", invalid="ignore"):  # an overflow shows in the numbers as inf or nan
            step = trace.run(config, X, Y, params, labels)
            lines = header(config, step, args, digits)
            text = trace_text.render(step, digits, lines)
            if args.markdown:
                from backprop_lab.commands.trace import markdown as trace_markdown

                markdown = trace_markdown.render(step, digits, lines, args.markdown, derivations_folder())
        print(text, end="", flush=True)
        if args.markdown:
            from backprop_lab.files import write_text

            write_text(args.markdown, markdown)
            print(f"\nwrote {args.markdown}")
    except trace.Mismatch as error:
        print(f"backprop-lab: trace: {error}", file=sys.stderr)
        return EXIT_MISMATCH
    if args.diagram:
        from backprop_lab.figures import diagram
        from backprop_lab.figures.save import save

        save(diagram.figure(step), args.diagram)
        print(f"wrote {args.diagram}")
    return 0
