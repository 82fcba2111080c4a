"""``backprop-lab bench JSON [--out DIR]``: the report and the figure of a saved benchmark run."""

import argparse
import sys
from pathlib import Path

from backprop_lab import files
from backprop_lab.commands.bench import figure, report
from backprop_lab.commands.bench.results import ReportError, load
from backprop_lab.commands.shared.parser import OneLineParser

REPORT_NAME = "benchmarks.md"
PLOT_NAME = "benchmarks.png"
DESCRIPTION = "Turn a saved benchmark run into a Markdown report and a PNG: which form is faster, at which sizes."


def add_parser(subparsers):
    p = subparsers.add_parser("bench", help="turn a saved benchmark run into a table and plots",
                              add_help=False, prefix_chars="\0")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    return p


def run(args):
    return main(args.rest)


class _Parser(OneLineParser):
    """The CLI's parser (no abbreviations, no repeated options), its errors as ReportError."""

    def error(self, message):
        raise ReportError(message)


def main(argv=None):
    """``bench JSON [--out DIR]``; returns the exit status."""
    parser = _Parser(prog="backprop-lab bench", description=DESCRIPTION)
    parser.add_argument("json", help="a file saved by pytest --benchmark-only --benchmark-json=FILE")
    parser.add_argument("--out", help="folder for benchmarks.md and benchmarks.png (default: the JSON's)")
    try:
        args = parser.parse_args(argv)
        out = Path(args.out) if args.out is not None else Path(args.json).resolve().parent
        report_path, plot_path = str(out / REPORT_NAME), str(out / PLOT_NAME)
        files.check_outputs([("--out", report_path), ("--out", plot_path)], make_parents=True)
        for output in (report_path, plot_path):
            if Path(args.json).exists() and Path(output).exists() and Path(output).samefile(args.json):
                raise ReportError(f"cannot write {output}: it is the input file")
        run = load(args.json)
    except SystemExit as exit:  # --help
        return exit.code
    except (ReportError, files.OutputError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    text = report.markdown(run)
    try:
        out.mkdir(parents=True, exist_ok=True)
        files.write_files({report_path: files.text_writer(text + "\n"), plot_path: lambda tmp: figure.plot(run, tmp)})
    except OSError as error:
        print(f"error: cannot write to {out}: {error.strerror or error}", file=sys.stderr)
        return 1
    print(text)
    print(f"\nwrote {report_path} and {plot_path}")
    return 0

