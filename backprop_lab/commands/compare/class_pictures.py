"""The pictures of a run of K >= 3 classes: on the plane, the regions of the predicted classes;
for the digits, the confusion matrix, the first layer's weights as 8x8 images and the images
themselves with their predicted digit.  Both trainers train the same network; the figures draw
matrix_net's, and their titles say whether scalar_net predicts the same classes."""

import numpy as np

import matrix_net
import scalar_net
from backprop_lab.commands.compare.pictures import (DPI, PNG_COMPRESSION, marked_title, companion_paths, plane_for,
                                                    write_gradient_norms, write_learning_curve, write_neuron_maps)
from backprop_lab.network import weights_and_biases

#: The figures ``--plot PATH`` writes beside PATH for the digits.
DIGITS_COMPANIONS = ("weights", "examples", "curve", "gradients")


def digits_paths(path):
    """Where ``--plot PATH`` puts the digits' other figures, in PATH's format."""
    return companion_paths(path, DIGITS_COMPANIONS)


def _predicted(comparison, side, trainer, X, **options):
    """The class ``trainer`` predicts for each row of X (n,): the largest of its K outputs."""
    config = comparison.config
    with np.errstate(over="ignore", invalid="ignore"):
        probabilities = trainer.predict(side.params, X, activation=config.activation,
                                        leaky_slope=config.leaky_slope, **options)
    return np.argmax(probabilities, axis=1)


def _agreement(comparison, X, where):
    """What a title says of scalar_net's classes beside matrix_net's, on the points X (``where``
    they are, in words)."""
    mine = _predicted(comparison, comparison.matrix, matrix_net, X, exact=comparison.config.exact)
    theirs = _predicted(comparison, comparison.scalar, scalar_net, X)
    differ = int(np.sum(mine != theirs))
    return f"scalar_net's: the same {where}" if not differ else f"scalar_net's differ on {differ} {where}"


def _heading(comparison):
    """The run in two lines, short enough for a figure 6.4 inches wide."""
    config = comparison.config
    net = "-".join(map(str, config.sizes))
    return (f"{config.data_name}: network {net} ({config.activation} hidden, softmax output)\n"
            f"{config.optimizer}, lr {config.lr:g}, {len(comparison.matrix.loss)} epochs, seed {config.seed}")


def write_class_plane(comparison, path, neurons_path, run):
    """Stage matrix_net's K-class plane at ``path``: the predicted class over a 200 x 200 grid,
    lighter where it is unsure, the points in their true classes; and the map of every neuron,
    the K outputs' among them, at ``neurons_path``."""
    from backprop_lab.figures.classes import classes_plane_figure
    from backprop_lab.figures.save import figure_writer

    config = comparison.config
    plane = plane_for(comparison)

    def probabilities(points):
        with np.errstate(over="ignore", invalid="ignore"):
            return matrix_net.predict(comparison.matrix.params, points, activation=config.activation,
                                      leaky_slope=config.leaky_slope, exact=config.exact)

    agreement = _agreement(comparison, plane.points, "on the whole plane")
    title = marked_title(f"{_heading(comparison)}\nmatrix_net's predicted class ({agreement})", comparison)
    figure = classes_plane_figure(probabilities, comparison.X, comparison.Y, plane=plane,
                                  X_test=comparison.X_test, labels_test=comparison.Y_test, title=title)
    run.file(path, figure_writer(figure, path, dpi=DPI, compress_level=PNG_COMPRESSION))
    write_neuron_maps(comparison, plane, neurons_path, run)


def write_digits(comparison, path, run):
    """Stage the digits' figures: the confusion matrix at ``path`` (of the held-out images, or of
    the training ones without a split), and beside it (digits_paths) the first layer's weights,
    the images with the mistakes first, the learning curve and the gradient norms."""
    from backprop_lab.figures.digits import confusion_figure, examples_figure, weight_images_figure
    from backprop_lab.figures.save import figure_writer

    config = comparison.config
    others = digits_paths(path)
    held_out = len(comparison.X_test) > 0
    X, Y = (comparison.X_test, comparison.Y_test) if held_out else (comparison.X, comparison.Y)
    which = "held-out" if held_out else "training"
    predicted = _predicted(comparison, comparison.matrix, matrix_net, X, exact=config.exact)
    heading = marked_title(_heading(comparison), comparison)
    figures = {
        path: confusion_figure(Y, predicted, classes=config.classes,
                               title=f"{heading}\nmatrix_net on the {len(X)} {which} images "
                                     f"({_agreement(comparison, X, 'on these')})"),
        others["weights"]: weight_images_figure(weights_and_biases(comparison.matrix.params)[0][0],
                                                title=f"{heading}; matrix_net's network"),
        others["examples"]: examples_figure(X, Y, predicted, which=which, title=heading),
    }
    for where, figure in figures.items():
        run.file(where, figure_writer(figure, where, dpi=DPI, compress_level=PNG_COMPRESSION))
    write_learning_curve(comparison, others["curve"], run)
    write_gradient_norms(comparison, others["gradients"], run)
    return [path, *others.values()]
