"""The checks a command makes before any work, their problems as BadInput: its outputs
(backprop_lab.files.check_outputs) and its memory (backprop_lab.limits)."""

from backprop_lab.commands.shared.errors import BadInput


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
