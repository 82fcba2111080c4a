"""``backprop-lab derive [--out DIR] [--check]``: write the derivation files, or check them."""

from backprop_lab.commands.shared.checks import check_outputs
from backprop_lab.commands.shared.errors import BadInput


def add_parser(subparsers):
    p = subparsers.add_parser("derive", help="regenerate the sympy derivation files",
                              description="Derive every gradient with sympy, prove the element-wise "
                                          "and matrix forms equal, and write the Markdown files.")
    p.add_argument("--out", metavar="DIR", help="folder to write (default: derivations/generated)")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 if the files in the folder are out of date")
    return p


def run(args):
    from derivations.__main__ import main as derive
    from derivations.documents import DEFAULT_OUT, file_names
    from backprop_lab.files import OutputError, check_folder_contents

    if not args.check:
        out = args.out if args.out is not None else str(DEFAULT_OUT)
        check_outputs([("--out/", out)])
        try:
            check_folder_contents(out, file_names())
        except OutputError as error:
            raise BadInput(f"cannot write --out {out!r}: {error}") from None
    return derive([*(["--out", args.out] if args.out is not None else []), *(["--check"] if args.check else [])])
