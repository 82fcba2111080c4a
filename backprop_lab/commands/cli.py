"""The ``backprop-lab`` command line: it assembles one parser from the commands (each command's
``add_parser``), runs the one asked for (its ``run``), and turns what goes wrong into an exit status.

Every command goes through ``main``, which keeps the promises of the README for all of them:
bad input is one line on stderr and exit status 2, before any work (a command checks its
arguments, its sizes against backprop_lab.limits and its outputs with backprop_lab.files.
check_outputs first); a diverging run stops with exit status 1, as does an output that fails
while being written (a full disk); Ctrl-C exits 130 and SIGTERM 143 (commands/signals.py); no
traceback and no warning reaches the terminal.
"""

import argparse
import errno
import os
import sys
import threading
import warnings

from backprop_lab.commands import signals
from backprop_lab.commands.bench import command as bench
from backprop_lab.commands.check import command as check
from backprop_lab.commands.compare import command as compare
from backprop_lab.commands.derive import command as derive
from backprop_lab.commands.exercise import command as exercise
from backprop_lab.commands.experiment import command as experiment
from backprop_lab.commands.shared.errors import EXIT_BAD_INPUT, EXIT_FAILED, BadInput
from backprop_lab.commands.shared import terminal
from backprop_lab.commands.shared.parser import OneLineParser
from backprop_lab.commands.trace import command as trace

#: Every command: a module with add_parser(subparsers) -> its parser, and run(args) -> exit status.
COMMANDS = (compare, experiment, trace, exercise, check, derive, bench)

DESCRIPTION = ("Backpropagation element by element (scalar_net, compiled by Numba) and as matrices "
               "(matrix_net, NumPy), shown to be the same algorithm.")
EPILOG = "backprop-lab COMMAND --help lists a command's options, each with its default."


class _CommandList(argparse.HelpFormatter):
    """The top-level help: the commands, each on its one line, without argparse's "{a,b,...}"."""

    def __init__(self, prog):
        super().__init__(prog, max_help_position=16)

    def _format_action(self, action):
        if isinstance(action, argparse._SubParsersAction):
            return "".join(self._format_action(command) for command in action._get_subactions())
        return super()._format_action(action)


def parser():
    top = OneLineParser(prog="backprop-lab", description=DESCRIPTION, epilog=EPILOG, formatter_class=_CommandList)
    subparsers = top.add_subparsers(dest="command", required=True, parser_class=OneLineParser,
                                    title="commands", metavar="COMMAND")
    for command in COMMANDS:
        command.add_parser(subparsers).set_defaults(run=command.run)
    return top


#: The errors of a write that failed (a full disk or device, a quota, a closed pipe or terminal).
WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EPIPE, errno.EBADF}


def _write_failed(error):
    """One line for an OSError: one that only showed while writing (a full disk, stdout on a full
    device), or another, such as a library that could not be loaded under ``ulimit -v``."""
    if error.filename:
        return f"backprop-lab: error: cannot write {error.filename}: {error.strerror or error}"
    if error.errno in WRITE_ERRORS:
        return f"backprop-lab: error: cannot write to standard output: {error.strerror or error}"
    return f"backprop-lab: error: {error.strerror or error}"


def _silence_stdout():
    """After stdout failed, point it at /dev/null: Python's final flush would fail (and print) again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (tests capture it)
        pass


def main(argv=None, *, exiting=False):
    """Run one command; return its exit status (see the module's docstring).

    ``exiting``: the process ends when this returns (see ``entry``)."""
    # The command line draws into files, also on a machine without a screen: matplotlib's
    # non-interactive backend, chosen without importing matplotlib (a command that draws
    # imports it), unless the user chose one.  The figures themselves choose none (Jupyter).
    os.environ.setdefault("MPLBACKEND", "Agg")
    try:
        # Any terminal: its encoding's missing characters spelled in ASCII, closed streams, no
        # library's log (commands/shared/terminal.py).
        with signals.handled(exiting), warnings.catch_warnings(), terminal.prepared():
            # Problems are reported as errors; a warning (NumPy's overflow at a huge step, matplotlib's
            # on extreme values) would only be noise in the user's terminal.
            warnings.simplefilter("ignore")
            return _run(argv)
    except terminal.StdoutClosed:
        print("backprop-lab: error: cannot write to standard output: it is closed", file=sys.stderr)
        return EXIT_FAILED


def entry(argv=None):
    """The process's entry point (the ``backprop-lab`` script, ``python -m backprop_lab``, and the
    module entry points of derive and bench): ``main``, knowing that the process ends after it.

    A thread left running past ``main`` is a worker pool's, stuck on a worker that was killed
    while it sent a result (kill -9, the out-of-memory killer, or the kill that answers Ctrl-C):
    it waits for the rest of that message for ever, and the interpreter's exit waits for the
    thread.  Every file is written or removed by then, so the process ends without waiting.
    """
    status = main(argv, exiting=True)
    if any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.main_thread()):
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError, AttributeError):  # closed, or gone
                pass
        os._exit(status)
    return status


def _run(argv):
    """main's command, its errors turned into exit statuses."""
    try:
        try:
            args = parser().parse_args(argv)
        except SystemExit as done:  # --help: argparse printed it and exits, which must not hide a failed write
            sys.stdout.flush()
            return done.code if isinstance(done.code, int) else 0
        args.argv = list(sys.argv[1:] if argv is None else argv)
        status = args.run(args)
        sys.stdout.flush()
        signals.raise_pending()  # never exit 0 after a Ctrl-C that some callee swallowed
        return status
    except BadInput as error:
        print(f"backprop-lab: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return signals.EXIT_INTERRUPTED
    except signals.Terminated:
        return signals.EXIT_TERMINATED
    except BrokenPipeError:  # e.g. piped into `head`: the reader has what it wanted
        _silence_stdout()
        return 0
    except OSError as error:
        _silence_stdout()
        print(_write_failed(error), file=sys.stderr)
        return EXIT_FAILED
    except MemoryError:
        print("backprop-lab: error: out of memory (the estimate of backprop_lab/limits.py was too low; "
              "please report the command)", file=sys.stderr)
        return EXIT_FAILED
