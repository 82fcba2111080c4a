import sys

from backprop_lab.commands.bench.command import main

sys.exit(main())
