"""``python -m derivations [--out DIR] [--check]``: the same command as ``backprop-lab derive``,
with the same options, errors and exit statuses (backprop_lab/commands/derive)."""

import sys

from backprop_lab.commands.cli import entry

if __name__ == "__main__":
    sys.exit(entry(["derive", *sys.argv[1:]]))
