import sys

from backprop_lab.commands.cli import main

sys.exit(main())
