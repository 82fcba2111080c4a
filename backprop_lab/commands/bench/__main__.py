"""``python -m backprop_lab.commands.bench JSON [--out DIR]``: the same command as ``backprop-lab
bench``, with the same options, errors and exit statuses."""

import sys

from backprop_lab.commands.cli import entry

if __name__ == "__main__":
    sys.exit(entry(["bench", *sys.argv[1:]]))
