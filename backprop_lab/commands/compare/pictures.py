"""The pictures of a side-by-side run: each trainer's prediction over the plane, its neurons,
its learning curves, the lab's own pair (ground truth beside the predicted class, and the
learning curve), and the animation; the grids go through the trainers' batched prediction."""

import dataclasses
import os

import numpy as np

import matrix_net
import scalar_net
from backprop_lab.conventions import DECISION_THRESHOLD
from backprop_lab.data import INFO
from backprop_lab.figures.boundary import Plane
from backprop_lab.figures.curves import Curves

ANIMATION_RESOLUTION = 100  # per side: 50 frames of a 200 x 200 grid would make a slow, large GIF
DPI = 150
PNG_COMPRESSION = 1  # zlib level: 1 writes a figure in a third of the time of the default 6, about 25% larger


#: The figures ``--plot PATH`` writes beside PATH, by what they show: ``<name>-<part><extension>``.
COMPANIONS = ("neurons", "lab", "curve", "gradients")


def companion_paths(path, parts=COMPANIONS):
    """Where ``--plot PATH`` puts its other figures, in PATH's format: {part: path} for ``parts``
    (run.pdf -> run-neurons.pdf, run-lab.pdf, run-curve.pdf, run-gradients.pdf)."""
    stem, suffix = os.path.splitext(path)
    return {part: f"{stem}-{part}{suffix or '.png'}" for part in parts}


def plane_for(comparison, resolution=None):
    """The grid over the data set's documented range (grown by the noise), or over a CSV file's
    points, with every point inside."""
    config = comparison.config
    bounds = None if config.data else INFO[config.dataset].bounds_with(config.noise)
    kwargs = {} if resolution is None else dict(resolution=resolution)
    return Plane.around(comparison.X, comparison.X_test if len(comparison.X_test) else None, bounds=bounds, **kwargs)


def _accuracy(y_hat, Y):
    return float(np.mean((y_hat > DECISION_THRESHOLD) == (Y > DECISION_THRESHOLD)))


def drawable(comparison):
    """``comparison`` as the figures draw it: after a divergence, each trainer that diverged as it
    was at its last epoch with finite parameters (its curves up to that epoch); otherwise itself."""
    if comparison.diverged is None:
        return comparison

    def upto(side):
        if side.last_finite is None:
            return side
        epoch, params = side.last_finite
        tested = [i for i, e in enumerate(side.test_epochs) if e <= epoch]
        return dataclasses.replace(side, params=params, loss=side.loss[:epoch], accuracy=side.accuracy[:epoch],
                                   gradient_norms=side.gradient_norms[:epoch],
                                   test_epochs=[side.test_epochs[i] for i in tested],
                                   test_loss=[side.test_loss[i] for i in tested],
                                   test_accuracy=[side.test_accuracy[i] for i in tested])

    snapshots = [(e, p) for e, p in comparison.snapshots if comparison.matrix.last_finite is None
                 or e <= comparison.matrix.last_finite[0]]
    return dataclasses.replace(comparison, scalar=upto(comparison.scalar), matrix=upto(comparison.matrix),
                               snapshots=snapshots)


def diverged_mark(comparison):
    """What every figure of a diverged run says in its title ('' for a run that did not diverge)."""
    diverged = comparison.diverged
    if diverged is None:
        return ""
    sides = {"scalar_net": comparison.scalar, "matrix_net": comparison.matrix}
    drawn = {name: side.last_finite[0] for name, side in sides.items() if side.last_finite is not None}
    if len(set(drawn.values())) == 1 and len(drawn) == len(sides):
        at = f"drawn at epoch {next(iter(drawn.values()))}, the last finite one"
    else:
        at = "drawn at the last epoch with finite parameters: " + ", ".join(f"{n} {e}" for n, e in drawn.items())
    return f"DIVERGED at epoch {diverged.epoch} ({diverged.trainer}): {at}"


def marked_title(title, comparison):
    """``title``, with diverged_mark's line under it for a run that diverged."""
    mark = diverged_mark(comparison)
    return f"{title}\n{mark}" if mark else title


def _title(config, comparison):
    net = "-".join(map(str, config.sizes))
    noise = f", noise {config.noise:g}" if config.noise else ""
    return marked_title(f"{config.data_name}{noise}: network {net} ({config.activation} hidden), {config.loss} loss, "
                   f"{config.optimizer}, lr {config.lr:g}, {config.epochs} epochs, seed {config.seed}", comparison)


def run_view(comparison):
    """The RunView of ``comparison``: each trainer's own predict over a 200 x 200 grid."""
    from backprop_lab.figures.comparison import RunView

    config = comparison.config
    plane = plane_for(comparison)
    shared = dict(activation=config.activation, leaky_slope=config.leaky_slope)
    predicts = {"scalar_net": lambda params, X: scalar_net.predict(params, X, **shared),
                "matrix_net": lambda params, X: matrix_net.predict(params, X, exact=config.exact, **shared)}
    sides = {"scalar_net": comparison.scalar, "matrix_net": comparison.matrix}
    images, accuracy, curves = {}, {}, {}
    testing = len(comparison.X_test) > 0
    for name, side in sides.items():
        predict = predicts[name]
        images[name] = plane.evaluate(lambda points: predict(side.params, points))
        test = _accuracy(predict(side.params, comparison.X_test), comparison.Y_test) if testing else None
        accuracy[name] = (_accuracy(predict(side.params, comparison.X), comparison.Y), test)
        curves[name] = Curves(side.loss, side.accuracy, side.test_epochs, side.test_loss, side.test_accuracy)
    rule = None if config.data else INFO[config.dataset].label_rule
    # The rule's classes, shaded under the points: with noise, the points of the other colour
    # near its boundary are the labels the noise changed.
    truth = None if rule is None else plane.image(rule(plane.points).astype(np.float64))
    return RunView(_title(config, comparison), comparison.X, comparison.Y, comparison.X_test,
                   comparison.Y_test, plane, images, accuracy, curves, truth)


def layer_activations(comparison, plane):
    """matrix_net's final network: every layer's activations over ``plane`` (one batched pass)."""
    config = comparison.config
    return matrix_net.all_activations(comparison.matrix.params, plane.points, activation=config.activation,
                                  leaky_slope=config.leaky_slope, exact=config.exact)


def _class_agreement(config, comparison, y_hat):
    """What the lab pair's class figure says of scalar_net beside matrix_net (whose network it draws)."""
    shared = dict(activation=config.activation, leaky_slope=config.leaky_slope)
    X = np.vstack([comparison.X, comparison.X_test])
    with np.errstate(over="ignore", invalid="ignore"):
        scalar = scalar_net.predict(comparison.scalar.params, X, **shared)
    differ = int(np.sum((scalar > DECISION_THRESHOLD) != (y_hat > DECISION_THRESHOLD)))
    return "scalar_net agrees" if not differ else f"scalar_net differs on {differ}"


def _curve_agreement(comparison):
    """What the learning curve's title says of scalar_net's curve beside matrix_net's."""
    s, m = np.asarray(comparison.scalar.loss), np.asarray(comparison.matrix.loss)
    if len(s) != len(m):
        worst = np.inf
    else:  # no epoch at all: a run that diverged in its first, drawn at the start
        worst = float(np.max(np.abs(s - m) / np.maximum(np.abs(m), np.finfo(float).tiny), initial=0.0))
    # 0.1% is far below what a log-scale curve shows: the two lines are one.
    if worst < 1e-3:
        curve = "scalar_net's lies on it"
    else:
        curve = f"scalar_net's differs by up to {worst:.0%}" if worst <= 1 else "scalar_net's differs by more than 100%"
    return curve


def write_neuron_maps(comparison, plane, path, run):
    """Stage the map of every neuron of matrix_net's network over ``plane`` at ``path`` in ``run``."""
    from backprop_lab.figures.neurons import neuron_figure
    from backprop_lab.figures.save import figure_writer

    config = comparison.config
    net = "-".join(map(str, config.sizes))
    layers = layer_activations(comparison, plane)
    title = marked_title(f"What each neuron computes: matrix_net's trained {net} network on {config.data_name} "
                    "(scalar_net's agrees with it)", comparison)
    figure = neuron_figure(plane, layers, comparison.X, comparison.Y, activation=config.activation,
                           title=title, X_test=comparison.X_test, Y_test=comparison.Y_test)
    run.file(path, figure_writer(figure, path, dpi=DPI, compress_level=PNG_COMPRESSION))


def write_lab_pair(comparison, paths, run):
    """Stage the lab's pair (``run``: backprop_lab.files.Outputs), matrix_net's network: the
    classes at ``paths["lab"]``, the learning curve at ``paths["curve"]``."""
    from backprop_lab.figures.lab import classes_figure
    from backprop_lab.figures.save import figure_writer

    config = comparison.config
    shared = dict(activation=config.activation, leaky_slope=config.leaky_slope, exact=config.exact)
    with np.errstate(over="ignore", invalid="ignore"):
        y_hat = matrix_net.predict(comparison.matrix.params, np.vstack([comparison.X, comparison.X_test]), **shared)
    n = len(comparison.X)
    classes = _class_agreement(config, comparison, y_hat)
    net = "-".join(map(str, config.sizes))
    epochs = len(comparison.matrix.loss)
    figure = classes_figure(plane_for(comparison), comparison.X, comparison.Y, y_hat[:n], agreement=classes,
                            X_test=comparison.X_test, Y_test=comparison.Y_test, y_hat_test=y_hat[n:],
                            title=marked_title(f"{config.data_name}, {net} network, {epochs} epochs: ground truth and "
                                          "prediction", comparison))
    run.file(paths["lab"], figure_writer(figure, paths["lab"], dpi=DPI, compress_level=PNG_COMPRESSION))
    write_learning_curve(comparison, paths["curve"], run)


def write_learning_curve(comparison, path, run):
    """Stage matrix_net's learning curve at ``path`` in ``run``; the title says whether scalar_net's lies on it."""
    from backprop_lab.figures.lab import learning_curve_figure
    from backprop_lab.figures.save import figure_writer

    config = comparison.config
    net = "-".join(map(str, config.sizes))
    curve = _curve_agreement(comparison)
    side = comparison.matrix
    figure = learning_curve_figure(Curves(side.loss, side.accuracy, side.test_epochs, side.test_loss, side.test_accuracy),
                                   title=marked_title(f"Learning curve: the {net} network on {config.data_name}, "
                                                 f"{config.optimizer}, lr {config.lr:g}\n(matrix_net's; {curve})",
                                                 comparison))
    run.file(path, figure_writer(figure, path, dpi=DPI, compress_level=PNG_COMPRESSION))


def write_gradient_norms(comparison, path, run):
    """Stage matrix_net's gradient norm per layer and epoch at ``path`` in ``run``; the title says
    whether scalar_net's are the same numbers."""
    from backprop_lab.figures.gradients import gradient_norm_figure
    from backprop_lab.figures.save import figure_writer

    config = comparison.config
    net = "-".join(map(str, config.sizes))
    s, m = np.asarray(comparison.scalar.gradient_norms), np.asarray(comparison.matrix.gradient_norms)
    if s.shape == m.shape and np.array_equal(s, m, equal_nan=True):
        agree = "scalar_net's are the same numbers"
    elif s.shape == m.shape:
        with np.errstate(invalid="ignore", divide="ignore"):
            worst = float(np.nanmax(np.abs(s - m) / np.maximum(np.abs(m), np.finfo(float).tiny), initial=0.0))
        agree = "scalar_net's lie on them" if worst < 1e-3 else f"scalar_net's differ by up to {worst:.0%}"
    else:
        agree = "scalar_net's ran another number of epochs"
    steps = None if config.batch_size is None or config.batch_size >= len(comparison.X) else \
        -(-len(comparison.X) // config.batch_size)
    batch = "full batch" if steps is None else f"batch size {config.batch_size}"
    title = marked_title(f"Gradient size per layer: the {net} network on {config.data_name}\n({config.activation} hidden, "
                    f"{config.optimizer}, lr {config.lr:g}, {batch}; matrix_net's, {agree})", comparison)
    figure = gradient_norm_figure(comparison.matrix.gradient_norms, config.sizes, title=title, steps=steps)
    run.file(path, figure_writer(figure, path, dpi=DPI, compress_level=PNG_COMPRESSION))


def plane_problem(config):
    """Why the figures of the plane's two classes (boundaries, neurons, the lab's pair, the
    animation) cannot draw this run, or '' if they can: they draw two inputs and two classes."""
    if config.inputs != 2:
        return f"{config.inputs} features, not the plane's 2"
    if config.classes != 2:
        return f"{config.classes} classes, not 2"
    return ""


def write_plane_plots(comparison, path, run):
    """Stage the two-class run's figure at ``path`` and the others beside it (companion_paths) in
    ``run`` (backprop_lab.files.Outputs); return the paths."""
    from backprop_lab.figures.comparison import comparison_figure
    from backprop_lab.figures.save import figure_writer

    others = companion_paths(path)
    view = run_view(comparison)
    run.file(path, figure_writer(comparison_figure(view), path, dpi=DPI, compress_level=PNG_COMPRESSION))
    write_neuron_maps(comparison, view.plane, others["neurons"], run)
    write_lab_pair(comparison, others, run)
    write_gradient_norms(comparison, others["gradients"], run)
    return [path, *others.values()]


def write_animation(comparison, path, run):
    """Stage the GIF of matrix_net's boundary and loss at every snapshot in ``run``
    (backprop_lab.files.Outputs); return the number of frames."""
    from backprop_lab.figures import animation
    from backprop_lab.figures.save import frames_writer

    comparison = drawable(comparison)
    config = comparison.config
    plane = plane_for(comparison, resolution=ANIMATION_RESOLUTION)
    shared = dict(activation=config.activation, leaky_slope=config.leaky_slope, exact=config.exact)
    images = [(epoch, plane.evaluate(lambda points: matrix_net.predict(params, points, **shared)))
              for epoch, params in comparison.snapshots]
    fig, show = animation.build_animation(plane, images, comparison.X, comparison.Y,
                                          np.asarray(comparison.matrix.loss), title=_title(config, comparison),
                                          X_test=comparison.X_test, Y_test=comparison.Y_test)
    run.file(path, frames_writer(fig, show, len(images), fps=animation.FPS, dpi=animation.DPI))
    return len(images)
