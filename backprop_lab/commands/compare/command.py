"""``backprop-lab compare``: train both trainers side by side from the same start, and print,
save and draw what they did."""

import argparse
import sys

from backprop_lab.commands.shared import argument_types as types
from backprop_lab.commands.shared.checks import (check_figure_formats, check_memory, check_outputs, compare_bytes,
                                                 loss_for)
from backprop_lab.commands.shared.errors import EXIT_FAILED, BadInput
from backprop_lab.commands.shared.parser import note_no_effect
from backprop_lab.commands.shared.run_options import RUN_CONDITIONAL, add_run_options


#: Options a data set's recipe sets when they are not given (backprop_lab.data.recipes).
RECIPE_OPTIONS = ("hidden", "optimizer", "lr", "epochs", "samples")


def gif_path(text):
    """The argparse ``type`` of --animate: Pillow picks the file's format by its name."""
    if not text.lower().endswith(".gif"):
        raise argparse.ArgumentTypeError(f"{text!r} must end in .gif")
    return text


def add_parser(subparsers):
    from backprop_lab.config import Config

    d = Config()
    p = subparsers.add_parser(
        "compare", help="train both trainers side by side from the same start",
        description="Train scalar_net and matrix_net from the same seeded start and print their losses, "
                    "weights and timings side by side. Each data set has a recipe (README) that sets "
                    f"{', '.join('--' + dest for dest in RECIPE_OPTIONS[:-1])} and --{RECIPE_OPTIONS[-1]} "
                    "when they are not given.")
    defaults = {dest: "the data set's recipe" for dest in RECIPE_OPTIONS}
    defaults["lr"] = "the data set's recipe; with another --optimizer, the step size that suits it"
    add_run_options(p, defaults=defaults, classes=True)
    output = p.add_argument_group("output")
    output.add_argument("--report-every", type=types.positive_int, default=d.report_every, metavar="EPOCHS",
                        help="print both trainers' loss and accuracy, and their largest weight difference, "
                             "every EPOCHS epochs (default: %(default)s)")
    output.add_argument("--print-samples", type=types.count, default=d.print_samples, metavar="N",
                        help="print the predictions of the first N samples (default: %(default)s)")
    output.add_argument("--json", metavar="PATH",
                        help="write the run as JSON: its settings, both trainers' weights, losses and timings "
                             "(default: not written)")
    output.add_argument("--plot", metavar="PATH",
                        help="draw the run, in the format PATH's extension names (.png, .pdf, .svg, .jpg, ...): "
                             "ground truth, each trainer's decision boundary, learning curves; and beside it, "
                             "for run.png: run-neurons.png, every neuron's map; the lab's pair, run-lab.png, "
                             "ground truth beside the predicted class, and run-curve.png, the learning curve; "
                             "run-gradients.png, each layer's gradient norm per epoch (default: not drawn)")
    output.add_argument("--animate", type=gif_path, metavar="PATH.gif",
                        help="write a GIF: the decision boundary and the loss as training goes on "
                             "(default: not drawn)")
    return p


def _data_options(args):
    """(Config fields for the data and the recipe's values for the options not given, the header's
    note on the step size); BadInput on combinations that cannot apply.

    A recipe's step size is its optimizer's: with another --optimizer and no --lr, the step size
    that suits that optimizer (backprop_lab.data.recipes.step_size), and a note saying so."""
    from backprop_lab.data.recipes import recipe_for, step_size

    if args.data is not None:
        for dest, flag in (("dataset", "--dataset"), ("noise", "--noise"), ("samples", "--samples")):
            if dest in args.given:
                raise BadInput(f"argument {flag}: applies to the generated data sets, not to a CSV file (--data)")
    if "classes" in args.given and args.classes != 2:
        from backprop_lab.data import CLASS_SETS

        if args.data is not None or args.dataset not in CLASS_SETS:
            what = "a CSV file's classes are its labels" if args.data is not None else f"{args.dataset} has its own"
            raise BadInput(f"argument --classes: K classes come with --dataset {' or '.join(CLASS_SETS)}; {what}")
    dataset = "csv" if args.data is not None else args.dataset
    recipe = recipe_for(dataset, csv=args.data is not None)
    given = dict(hidden=tuple(args.hidden), optimizer=args.optimizer, lr=args.lr, epochs=args.epochs,
                 samples=args.samples)
    fields = {k: given[k] if k in args.given else recipe.options[k] for k in RECIPE_OPTIONS}
    note = ""
    # Averaged momentum's velocity is an average of gradients, so it steps like gradient descent.
    steps_like = "sgd" if fields["optimizer"] == "momentum" and args.momentum_form == "average" else fields["optimizer"]
    if "lr" not in args.given:
        fields["lr"] = step_size(recipe, steps_like)
    if "lr" not in args.given and steps_like != recipe.optimizer:
        whose = "the recipe's" if args.data is not None else f"the {dataset} recipe's"
        note = (f"the step size for {fields['optimizer']}; {whose} lr {recipe.lr:g} is for {recipe.optimizer}; "
                "give --lr to choose")
    data = dict(dataset=dataset, data=args.data, noise=args.noise, test_fraction=args.test_fraction,
                classes=args.classes)
    return {**data, **fields}, note


def _count_points(config):
    """(all points, held-out points, the CSV file's (X, Y) or None) of the configured data, checked
    before any training; the file is read here, once."""
    from backprop_lab.data import size
    from backprop_lab.data.csvfile import load_csv
    from backprop_lab.data.split import held_out_count

    try:
        points = load_csv(config.data) if config.data is not None else None
    except ValueError as error:
        raise BadInput(f"argument --data: {error}") from None
    n = points[0].shape[0] if points is not None else size(config.dataset, config.samples)
    try:
        return n, held_out_count(n, config.test_fraction), points
    except ValueError as error:
        raise BadInput(f"argument --test-fraction: {error}") from None


def _shaped(config, args, points):
    """``config`` with the data's inputs and classes (the net's first and last widths) and the
    loss that fits them: --loss, or mse for two classes and cross-entropy for K; BadInput for a
    --loss that does not fit, or for --noise or --samples on the digits."""
    from dataclasses import replace

    from backprop_lab.data import DIGITS, classes_of, inputs_of

    if points is not None:
        inputs, labels = points[0].shape[1], int(points[1].max()) + 1
    elif config.dataset == DIGITS:
        for dest in ("noise", "samples"):
            if dest in args.given:
                raise BadInput(f"argument --{dest}: applies to the data sets of the plane, not to the digits")
        inputs, labels = inputs_of(DIGITS), classes_of(DIGITS)
    else:
        inputs, labels = 2, config.classes
    return replace(config, inputs=inputs, classes=labels, loss=loss_for(args.loss, labels))


def run(args):
    from backprop_lab.commands.compare import run as compare
    from backprop_lab.commands.compare import report
    from backprop_lab.config import Config

    fields, lr_note = _data_options(args)
    config = Config(
        batch_size=args.batch_size, seed=args.seed, bias=args.bias, exact=args.exact,
        activation=args.activation, momentum=args.momentum, momentum_form=args.momentum_form,
        beta1=args.beta1, beta2=args.beta2, leaky_slope=args.leaky_slope, init=args.init,
        weight_decay=args.weight_decay, stop_at_accuracy=args.stop_at_accuracy,
        report_every=args.report_every, print_samples=args.print_samples, **fields)
    n, n_test, points = _count_points(config)
    config = _shaped(config, args, points)
    from backprop_lab.commands.compare.pictures import plane_problem

    not_two_classes = plane_problem(config)
    if args.animate and not_two_classes:
        raise BadInput(f"argument --animate: draws the plane's boundary between two classes; {not_two_classes}")
    if points is not None and (args.plot or args.animate) and config.inputs == 2:  # before any work: a plane the figures can draw
        from backprop_lab.figures.boundary import Plane

        why = Plane.problem(points[0])
        if why:
            raise BadInput(f"argument {'--plot' if args.plot else '--animate'}: {why}")
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
        from backprop_lab.commands.compare import plots

        outputs += [("--plot", other) for other in plots.paths(config, args.plot)[1:]]
    check_outputs(outputs, inputs=[("--data", args.data)])
    check_figure_formats([("--plot", args.plot)])
    note_no_effect(args, RUN_CONDITIONAL)
    print(report.header(config, points=n, test_points=n_test, lr_note=lr_note), flush=True)
    print(report.checkpoint_header(testing=n_test > 0), flush=True)
    progress = report.Progress(sys.stderr, config.epochs)

    def checkpoint(c):
        progress.clear()
        print(report.checkpoint_line(c), flush=True)

    try:
        comparison = compare.run_split(config, on_checkpoint=checkpoint, on_progress=progress.update,
                                       snapshot_every=every, points=points)
    except compare.Diverged as diverged:
        # The run keeps its record: the JSON and the figures up to the divergence, marked as such.
        progress.clear()
        print(f"backprop-lab: {diverged}; stopped (try a smaller --lr)", file=sys.stderr)
        write_outputs(args, diverged.comparison, n, n_test)
        return EXIT_FAILED
    progress.clear()
    y_hat = report.predictions(config, comparison.X, comparison.scalar, comparison.matrix)
    print(report.summary(config, comparison, y_hat))
    if n_test:
        print(report.test_summary(config, comparison, y_hat))
    write_outputs(args, comparison, n, n_test)
    return 0


def write_outputs(args, comparison, n, n_test):
    """The files asked for: --json, --plot and its companions, --animate, written together or not
    at all (backprop_lab.files.outputs); after a divergence, the run up to it (compare.run.Diverged),
    the figures marked."""
    from backprop_lab import files
    from backprop_lab.commands.compare import run as compare

    config, scalar, matrix = comparison.config, comparison.scalar, comparison.matrix
    wrote = []  # said once every file is staged, just before they are renamed into place
    with files.outputs() as run:
        if args.json:
            run.json(args.json, compare.json_document(config, comparison.initial, scalar, matrix,
                                                      test_points=n_test, training_points=n - n_test,
                                                      diverged=comparison.diverged))
            wrote.append(f"wrote {args.json}")
        if args.plot:
            from backprop_lab.commands.compare import plots

            paths, seconds = plots.write_plots(comparison, args.plot, run)
            drawing = "200 x 200 grids and drawing" if plots.kind(config) in ("plane", "classes") else "drawing"
            wrote.append(f"wrote {', '.join(paths[:-1])} and {paths[-1]} ({drawing}: {seconds:.2f} s)")
            if plots.note(config):  # said before the files are: the note is about what they hold
                print(plots.note(config), file=sys.stderr)
        if args.animate:
            from backprop_lab.commands.compare.pictures import write_animation

            frames = write_animation(comparison, args.animate, run)
            wrote.append(f"wrote {args.animate} ({frames} frames)")
        for line in wrote:
            print(line)
