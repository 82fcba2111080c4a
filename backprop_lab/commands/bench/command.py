"""``backprop-lab bench JSON [--out DIR]``: the report and the figure of a saved benchmark run."""

from pathlib import Path

from backprop_lab import files
from backprop_lab.commands.bench import figure, report
from backprop_lab.commands.bench.results import ReportError, load
from backprop_lab.commands.shared.argument_types import folder_name, input_file
from backprop_lab.commands.shared.checks import check_outputs
from backprop_lab.commands.shared.errors import BadInput

REPORT_NAME = "benchmarks.md"
PLOT_NAME = "benchmarks.png"


def add_parser(subparsers):
    p = subparsers.add_parser("bench", help="turn a saved benchmark run into a table and plots",
                              description="Turn a saved benchmark run into a Markdown report and a PNG: "
                                          "which form is faster, at which sizes.")
    p.add_argument("json", type=input_file, metavar="JSON", help="a file saved by pytest --benchmark-only --benchmark-json=FILE")
    p.add_argument("--out", type=folder_name, metavar="DIR",
                   help=f"the folder for {REPORT_NAME} and {PLOT_NAME}, written both or neither "
                        "(default: the JSON file's folder)")
    return p


def run(args):
    """Check the outputs and read the JSON (BadInput naming the problem), then write both files
    whole or neither; an OSError while writing (a full disk) is cli.main's to report."""
    out = Path(args.out) if args.out is not None else Path(args.json).resolve().parent
    report_path, plot_path = str(out / REPORT_NAME), str(out / PLOT_NAME)
    check_outputs([("--out", report_path), ("--out", plot_path)], make_parents=True, inputs=[("JSON", args.json)])
    try:
        saved = load(args.json)
    except ReportError as error:
        raise BadInput(str(error)) from None
    text = report.markdown(saved)
    with files.outputs() as run:  # both files, and any folder made for them, or nothing
        run.text(report_path, text + "\n")
        run.file(plot_path, lambda tmp: figure.plot(saved, tmp))
        print(text)
        print(f"\nwrote {report_path} and {plot_path}")
    return 0
