import sys

from backprop_lab.cli import main

sys.exit(main())
