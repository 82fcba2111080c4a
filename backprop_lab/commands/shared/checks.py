"""The checks a command makes before any work, their problems as BadInput: its outputs
(backprop_lab.files.check_outputs), the formats of its figures (backprop_lab.figures.save) and
its memory (backprop_lab.limits)."""

from backprop_lab.commands.shared.errors import BadInput


def check_outputs(outputs, **options):
    """backprop_lab.files.check_outputs, with its problem as BadInput."""
    from backprop_lab.files import OutputError, check_outputs as check

    try:
        check(outputs, **options)
    except OutputError as error:
        raise BadInput(str(error)) from None


def check_figure_formats(figures):
    """BadInput when a figure's file (``figures``: [(option, path or None)]) does not end in a
    format matplotlib writes here; the line names the formats it does."""
    from backprop_lab.figures.save import figure_format, writable_formats

    formats = writable_formats()
    for option, path in figures:
        if path is None:
            continue
        extension = figure_format(path)
        if extension not in formats:
            problem = (f"{path!r} has no extension to name its format" if not extension
                       else f"matplotlib cannot write a figure as .{extension}")
            raise BadInput(f"argument {option}: {problem}; end the name in one of "
                           f"{', '.join('.' + f for f in formats)}")


def check_memory(needed, allow_large):
    """BadInput when a run needing ``needed`` bytes is past the limit (backprop_lab.limits)."""
    from backprop_lab.limits import refusal

    why = refusal(needed, allow_large)
    if why:
        raise BadInput(why)


def network_bytes(sizes):
    """Both trainers' parameters, gradients and optimizer state for layer ``sizes``, as each
    trainer states them (its ``memory_bytes``)."""
    import matrix_net.training
    import scalar_net.training

    return scalar_net.training.memory_bytes(sizes) + matrix_net.training.memory_bytes(sizes)


def compare_bytes(config, json=False, points=None, pictures=False, snapshots=0):
    """What a compare run holds at most (backprop_lab.limits), from its sizes alone (``points``:
    the data's size, when it is not the data set's, as for a CSV file; ``pictures``: --plot or
    --animate asked for, ``snapshots`` of the parameters kept for an animation)."""
    from backprop_lab.data import size
    from backprop_lab.limits import data_bytes, history_bytes, picture_bytes

    points = size(config.dataset, config.samples) if points is None else points
    return (network_bytes(config.sizes) + data_bytes(points, config.sizes, config.batch_size)
            + history_bytes(config.epochs, json=json)
            + (picture_bytes(config.sizes, snapshots=snapshots) if pictures else 0))


def loss_for(given, classes):
    """The loss of a net for ``classes`` classes: ``given`` (--loss) if it fits the output (one
    sigmoid for two classes, K softmax units for K), else the output's default; BadInput for a
    given loss that does not fit."""
    from backprop_lab import options
    from backprop_lab.network import check_loss

    outputs = 1 if classes == 2 else classes
    loss = options.default_loss(outputs) if given is None else given
    try:
        check_loss(loss, outputs)
    except ValueError as error:
        raise BadInput(f"argument --loss: {error}") from None
    return loss
