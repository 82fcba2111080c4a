"""``backprop-lab exercise PATH.py``: write a network to finish by hand, never over an existing file."""

import os

from backprop_lab.commands.shared.checks import check_outputs
from backprop_lab.commands.shared.errors import BadInput
from backprop_lab.commands.shared.network_options import add_network_options, network_of, network_options_text

FORMS = ("matrix", "elementwise")


def add_parser(subparsers):
    p = subparsers.add_parser(
        "exercise", help="write a file for your own backpropagation, to fill in",
        description="Write PATH.py: forward(params, X) and gradients(params, X, y) of the network the options "
                    "describe, with the shapes, the parameter order and the loss in its docstring and every "
                    "computation left for you to write; `backprop-lab check PATH.py` then checks it. "
                    "An existing file is never overwritten.")
    p.add_argument("path", metavar="PATH.py", help="the file to write (must not exist yet)")
    p.add_argument("--form", choices=FORMS, default="matrix",
                   help="matrix: whole layers as matrix products; elementwise: loops over samples and neurons "
                        "(default: matrix)")
    add_network_options(p)
    return p


def run(args):
    from backprop_lab.check.exercise import exercise_text
    from backprop_lab.commands.shared.parser import note_no_effect
    from backprop_lab.commands.shared.run_options import STEP_CONDITIONAL
    from backprop_lab.files import write_text

    if os.path.lexists(args.path):
        raise BadInput(f"{args.path} exists already; exercise never overwrites a file: give another name")
    check_outputs([("PATH.py", args.path)])
    note_no_effect(args, STEP_CONDITIONAL)
    shown = args.path if " " not in args.path else f"'{args.path}'"
    command = " ".join(part for part in ("backprop-lab check", shown, network_options_text(args)) if part)
    write_text(args.path, exercise_text(network_of(args), args.form, command))
    print(f"wrote {args.path} ({args.form} form, {network_of(args).describe()})")
    print(f"fill in every line that raises NotImplementedError, then run: {command}")
    return 0
