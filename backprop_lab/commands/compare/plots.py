"""What ``compare --plot PATH`` draws, by the run's data: two classes on the plane
(commands/compare/pictures.py), K classes on the plane or the digits
(commands/compare/class_pictures.py), and for any other data (more than two features) the
learning curve and the gradient norms, with one line that says why there is no picture of the
classes."""

import time

from backprop_lab.commands.compare import class_pictures, pictures

#: What --plot says when it can draw the curves only.
CURVES_ONLY = ("backprop-lab: note: --plot drew the learning curve and the gradient norms only: the classes of "
               "{features} features have no picture (the plane shows 2, the digits' images 64 pixels)")


def kind(config):
    """Which pictures --plot draws: "plane" (two classes), "classes" (K on the plane), "digits" or "curves"."""
    if not pictures.plane_problem(config):
        return "plane"
    if config.inputs == 2:
        return "classes"
    return "digits" if config.dataset == "digits" and not config.data else "curves"


def paths(config, path):
    """Every file ``--plot path`` writes for a run of ``config``, ``path`` first."""
    which = kind(config)
    if which == "plane":
        return [path, *pictures.companion_paths(path).values()]
    if which == "digits":
        return [path, *class_pictures.digits_paths(path).values()]
    others = pictures.companion_paths(path)
    return ([path, others["neurons"]] if which == "classes" else []) + [others["curve"], others["gradients"]]


def note(config):
    """The line --plot prints on standard error about what it did not draw ('' when it drew everything)."""
    return CURVES_ONLY.format(features=config.inputs) if kind(config) == "curves" else ""


def write_plots(comparison, path, run):
    """Stage the run's figures (``paths``) in ``run`` (backprop_lab.files.Outputs); return (paths,
    seconds): the seconds spent on the grids and the drawing, training excluded."""
    start = time.perf_counter()
    comparison = pictures.drawable(comparison)
    which = kind(comparison.config)
    written = paths(comparison.config, path)
    if which == "plane":
        pictures.write_plane_plots(comparison, path, run)
    elif which == "digits":
        class_pictures.write_digits(comparison, path, run)
    else:
        if which == "classes":
            class_pictures.write_class_plane(comparison, path, written[1], run)
        pictures.write_learning_curve(comparison, written[-2], run)
        pictures.write_gradient_norms(comparison, written[-1], run)
    return written, time.perf_counter() - start
