"""The parser every command parses with, and the note for an option given without effect."""

import argparse
import re
import sys

from backprop_lab.commands.shared.errors import BadInput


#: A negative number, as float() reads it: argparse's own matcher knows only plain decimals
#: (-1, -0.5), so that "--lr -1e-3" or "--input 1e308 -1e308" took the number for an option.
NEGATIVE_NUMBER = re.compile(r"^-(?:(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?|inf|infinity|nan)$", re.IGNORECASE)


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (no usage dump) and exits 2; no abbreviations
    (``--ep`` is not ``--epochs``); an option given twice is an error; a negative number in any
    form float() reads (``-1e-3``, ``-inf``) is a value, not an option.  The options given on the
    command line (their ``dest``) are recorded in ``args.given``, for ``note_no_effect``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = NEGATIVE_NUMBER

    def error(self, message):
        raise BadInput(message)

    def _print_message(self, message, file=None):
        """--help and --version: argparse swallows an OSError here, so that --help into a full
        stdout exited 0 having written nothing; cli.main reports it, as any failed write."""
        if message:
            (file or sys.stderr).write(message)

    def _options_given(self, arguments):
        seen = {}
        for argument in arguments:
            if argument == "--":
                break
            action = self._option_string_actions.get(argument.split("=", 1)[0])
            if action is None or isinstance(action, (argparse._AppendAction, argparse._CountAction)):
                continue
            if action.dest in seen:
                self.error(f"argument {'/'.join(action.option_strings)}: given twice; give it once")
            seen[action.dest] = argument
        return set(seen)

    def parse_known_args(self, args=None, namespace=None):
        args = sys.argv[1:] if args is None else list(args)
        given = self._options_given(args)
        namespace, rest = super().parse_known_args(args, namespace)
        namespace.given = given | getattr(namespace, "given", set())  # a subcommand's, merged
        return namespace, rest


def note_no_effect(args, conditional, configurations=None):
    """One line on stderr naming the options given that do nothing in this configuration.

    conditional: [(dest, flag, applies(settings) -> bool, the setting it needs)], ``applies``
    called with ``args``, or with each of ``configurations`` (objects with the same attributes,
    such as the Configs of an experiment's runs): an option is named when it applies to none.
    """
    configurations = [args] if configurations is None else list(configurations)
    idle = [f"{flag} has no effect without {needs}" for dest, flag, applies, needs in conditional
            if dest in args.given and not any(applies(c) for c in configurations)]
    if idle:
        print(f"backprop-lab: note: {'; '.join(idle)}", file=sys.stderr)
