"""Cannot be checked: gradients never returns, and it starts a process of its own that would
outlive it.  The pids go to the file named by $CHECK_PIDS, for the test that nothing is left."""

import os
import subprocess
import sys


def gradients(params, X, y):
    helper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    if os.environ.get("CHECK_PIDS"):
        with open(os.environ["CHECK_PIDS"], "w") as f:
            f.write(f"{os.getpid()} {helper.pid}\n")
    while True:
        pass
