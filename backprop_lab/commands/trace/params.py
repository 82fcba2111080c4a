"""``trace --params``: the starting weights from a file, ``compare --json``'s (its initial weights,
or with ``--final`` its final ones) or a plain list, checked against the network."""

import json
from dataclasses import dataclass

import numpy as np

from backprop_lab.files import InputError, parse_json, read_input
from backprop_lab.network import param_names

#: The largest --params file read: the weights of a network within the memory limit, as JSON text.
MAX_BYTES = 256 * 2**20


class BadParams(ValueError):
    """A --params file that cannot be read or does not fit the network: one line for the user."""


def _numbers(value, name, path):
    """A nested list of JSON numbers -> float64 array; BadParams otherwise."""
    def check(v):
        if isinstance(v, list):
            for item in v:
                check(item)
        elif isinstance(v, bool) or not isinstance(v, (int, float)):
            raise BadParams(f"{path}: {name} holds {json.dumps(v)}, not a number")
    try:
        check(value)
    except RecursionError:
        raise BadParams(f"{path}: {name} nests too deeply to be an array") from None
    try:
        array = np.array(value, dtype=np.float64)
    except ValueError:  # ragged rows
        raise BadParams(f"{path}: {name} is not a rectangular array (its rows differ in length)") from None
    if not np.all(np.isfinite(array)):
        raise BadParams(f"{path}: {name} holds a value that is not a finite number")
    return array


@dataclass
class FileWeights:
    """The weights read from a --params file.

    params: in parameter order (backprop_lab.network.param_names), float64.
    epochs: with final=True, the epochs compare trained to reach them (the length of its loss
            record), or None where the file does not say.
    """

    params: list
    epochs: int | None = None


def _final_weights(document, path):
    """compare --json's trainers.scalar.params (scalar_net's weights at the end of its run) and the
    number of epochs it recorded."""
    trainers = document.get("trainers")
    scalar = trainers.get("scalar") if isinstance(trainers, dict) else None
    if not isinstance(scalar, dict) or "params" not in scalar:
        raise BadParams(f"{path}: a JSON object without 'trainers.scalar.params', the final weights of "
                        "compare --json's file (--final reads them)")
    loss = scalar.get("loss")
    return scalar["params"], len(loss) if isinstance(loss, list) and loss else None


def load_params(path, sizes, bias, final=False):
    """The parameters in the JSON file at ``path``, as FileWeights: ``compare --json``'s file (its
    ``initial_params``, or with ``final`` its ``trainers.scalar.params``) or a plain list in
    parameter order; checked against the network.

    Raises BadParams with one line naming the problem.
    """
    try:
        document = parse_json(read_input(path, MAX_BYTES, "JSON file").decode("utf-8"), path)
    except InputError as error:
        raise BadParams(str(error)) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise BadParams(f"{path} is not a JSON file ({error})") from None
    except RecursionError:
        raise BadParams(f"{path} nests too deeply to be a JSON file of parameters") from None
    hint = "set --hidden and --no-bias to the file's network"
    epochs = None
    if isinstance(document, dict):
        recorded = document.get("config") if isinstance(document.get("config"), dict) else {}
        if isinstance(recorded.get("hidden"), list):
            hint = (f"the file's run used --hidden {' '.join(map(str, recorded['hidden']))}"
                    + ("" if recorded.get("bias", True) else " --no-bias"))
        if final:
            document, epochs = _final_weights(document, path)
        elif "initial_params" not in document:
            raise BadParams(f"{path}: a JSON object without 'initial_params' (expected compare --json's file "
                            "or a list of parameters)")
        else:
            document = document["initial_params"]
    elif final and isinstance(document, list):
        raise BadParams(f"{path} is a plain list of parameters, not compare --json's file: it has no final "
                        "weights (without --final its weights are the start)")
    if not isinstance(document, list):
        raise BadParams(f"{path}: expected a list of parameters in the order W1, b1, W2, ... or compare --json's file")
    shapes = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        shapes.append((fan_in, fan_out))
        if bias:
            shapes.append((fan_out,))
    net = f"{'-'.join(map(str, sizes))} network {'with' if bias else 'without'} bias"
    names = param_names([np.broadcast_to(0.0, shape) for shape in shapes])  # it reads only their shapes
    if len(document) != len(shapes):
        raise BadParams(f"{path} holds {len(document)} parameter arrays; the {net} has {len(shapes)} "
                        f"({', '.join(names)}); {hint}")
    params = []
    for name, shape, value in zip(names, shapes, document):
        array = _numbers(value, name, path)
        if array.shape != shape:
            raise BadParams(f"{path}: {name} has shape {array.shape}; the {net} needs {shape}; {hint}")
        params.append(array)
    return FileWeights(params, epochs)
