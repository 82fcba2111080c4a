"""``backprop-lab check PATH.py``: a student's gradients against the reference, and where they go wrong.

Exit statuses: 0 right, 1 wrong (the diagnosis is printed), 2 the file cannot be checked (its
own traceback when its code raised, then one line that says why) or bad input.
"""

import math
import os
import sys

import numpy as np

from backprop_lab.commands.shared.argument_types import checked, finite_number, seed
from backprop_lab.commands.shared.checks import check_outputs
from backprop_lab.commands.shared.errors import BadInput
from backprop_lab.commands.shared.network_options import add_network_options, network_of

_timeout = checked("number of seconds", finite_number, lambda v: 0 < v and math.isfinite(v), "positive")

#: The largest network checked: every parameter gets two finite differences per batch.
MAX_PARAMETERS = 5000


def add_parser(subparsers):
    from backprop_lab.check import DEFAULT_SEED, DEFAULT_TIMEOUT

    p = subparsers.add_parser(
        "check", help="check your own backpropagation: right, or where it goes wrong",
        description="Import PATH.py, call its gradients(params, X, y) (and forward(params, X), if it has one) "
                    "on seeded parameters and two batches, and compare every entry with the reference "
                    "(scalar_net) and with finite differences of the loss; if wrong, read each layer's delta "
                    "off your gradients, find the first wrong one and name the mistake. Your code runs in a "
                    "process of its own, stopped after --timeout seconds.")
    p.add_argument("path", nargs="?", metavar="PATH.py",
                   help="your file, with gradients(params, X, y) -> [dL/dW1, dL/db1, ...]")
    p.add_argument("--compare", nargs=2, metavar=("A.py", "B.py"),
                   help="check two files (your two forms) and compare their gradients with each other (default: check one file)")
    add_network_options(p)
    p.add_argument("--seed", type=seed, default=DEFAULT_SEED,
                   help=f"fixes the parameters and the batches (default: {DEFAULT_SEED})")
    p.add_argument("--columns", action="store_true",
                   help="your code uses column vectors: X (2, m), y (1, m), W_l (fan_out, fan_in), b_l (fan_out, 1) "
                        "(default: row vectors, as the package: X (m, 2), W_l (fan_in, fan_out))")
    p.add_argument("--timeout", type=_timeout, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"stop your code after this long, in all (default: {DEFAULT_TIMEOUT:g})")
    p.add_argument("--json", metavar="PATH", help="also write the verdict as JSON, see docs/check.md (default: not written)")
    return p


def _check_file_given(path, option):
    if not os.path.exists(path):
        raise BadInput(f"argument {option}: no file {path!r}")
    if not os.path.isfile(path):
        raise BadInput(f"argument {option}: {path!r} is not a file")
    if not path.endswith(".py"):
        raise BadInput(f"argument {option}: {path!r} must be a Python file, its name ending in .py")


def run(args):
    from backprop_lab.check import check_file, compare_files
    from backprop_lab.check.report import CANNOT_CHECK
    from backprop_lab.commands.shared.parser import note_no_effect
    from backprop_lab.commands.shared.run_options import STEP_CONDITIONAL
    from backprop_lab.files import write_json

    if (args.path is None) == (args.compare is None):
        raise BadInput("give one file, PATH.py, or two with --compare A.py B.py")
    paths = [args.path] if args.compare is None else args.compare
    for path in paths:
        _check_file_given(path, "PATH.py" if args.compare is None else "--compare")
    check_outputs([("--json", args.json)],
                  inputs=[("PATH.py" if args.compare is None else "--compare", path) for path in paths])
    note_no_effect(args, STEP_CONDITIONAL)
    network = network_of(args)
    count = sum(int(np.prod(shape)) for shape in network.shapes)
    if count > MAX_PARAMETERS:
        raise BadInput(f"argument --hidden: the network has {count} parameters; check takes at most "
                       f"{MAX_PARAMETERS} (it takes finite differences of every one)")
    given = dict(hidden=network.sizes[1:-1], bias=network.bias, activation=network.activation, loss=network.loss,
                 leaky_slope=network.leaky_slope, columns=args.columns, seed=args.seed, timeout=args.timeout)
    if args.compare is None:
        result = check_file(args.path, **given)
        reports, summary = [result], ""
    else:
        result = compare_files(*args.compare, **given)
        reports, summary = result.shown_reports(), result.summary()
    for report in reports:  # a file that cannot be checked is an error: on stderr, as every error
        print(report, file=sys.stderr if report.status == CANNOT_CHECK else sys.stdout, flush=True,
              end="" if report is reports[-1] and not summary else "\n")
    print(summary, end="")
    if args.json:
        write_json(args.json, result.to_json())
        print(f"wrote {args.json}", file=sys.stderr if result.status == CANNOT_CHECK and not summary else sys.stdout)
    return result.status
