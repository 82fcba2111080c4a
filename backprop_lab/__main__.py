import sys

from backprop_lab.commands.cli import entry

sys.exit(entry())
