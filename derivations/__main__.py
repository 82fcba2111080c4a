"""``python -m derivations [--out DIR] [--check]``: regenerate the derivation files."""

import argparse
import filecmp
import sys
import tempfile
from pathlib import Path

from derivations.documents import DEFAULT_OUT, generate


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m derivations", description=__doc__, allow_abbrev=False)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"folder to write into (default: {DEFAULT_OUT})")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if the files in --out differ from freshly generated ones")
    args = parser.parse_args(argv)
    if not args.check:
        for path in generate(args.out):
            print(path)
        return 0
    with tempfile.TemporaryDirectory() as fresh:
        stale = [path.name for path in generate(fresh)
                 if not (args.out / path.name).is_file() or not filecmp.cmp(path, args.out / path.name, shallow=False)]
    for name in stale:
        print(f"out of date: {args.out / name}", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
