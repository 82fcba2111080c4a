"""``backprop-lab derive [--out DIR] [--check]``: write the derivation files, or check them."""

import sys
from pathlib import Path

from backprop_lab.commands.shared.argument_types import folder_name
from backprop_lab.commands.shared.checks import check_outputs
from backprop_lab.commands.shared.errors import EXIT_FAILED, BadInput


def add_parser(subparsers):
    p = subparsers.add_parser("derive", help="regenerate the sympy derivation files",
                              description="Derive every gradient with sympy, prove the element-wise "
                                          "and matrix forms equal, and write the Markdown files.")
    p.add_argument("--out", type=folder_name, metavar="DIR",
                   help="the folder to write, whole or not at all (default: derivations/generated, the committed "
                        "files)")
    p.add_argument("--check", action="store_true",
                   help="write nothing; say whether the files in --out are current, and exit 1 naming those "
                        "that are not (default: write them)")
    return p


def run(args):
    from backprop_lab.files import OutputError, check_folder_contents
    from derivations import documents

    out = args.out if args.out is not None else str(documents.DEFAULT_OUT)
    if args.check:
        stale = documents.out_of_date(out)
        for name in stale:
            print(f"out of date: {Path(out) / name}", file=sys.stderr)
        if stale:
            return EXIT_FAILED
        print(f"{out}: all {len(documents.file_names())} files are current (what the scripts generate today)")
        return 0
    check_outputs([("--out/", out)])
    try:
        check_folder_contents(out, documents.file_names())
    except OutputError as error:
        raise BadInput(f"cannot write --out {out!r}: {error}") from None
    from backprop_lab import files

    with files.outputs() as run:  # printed before the swap: a full stdout leaves the old files
        for path in documents.generate(out, run):
            print(path)
    return 0
