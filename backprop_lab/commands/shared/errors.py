"""How a command ends when it does not succeed: bad input, and the exit statuses.

``cli.main`` turns BadInput into one line on stderr and EXIT_BAD_INPUT; Ctrl-C and SIGTERM exit
with signals.EXIT_INTERRUPTED (130) and signals.EXIT_TERMINATED (143).
"""

EXIT_FAILED = 1  # the run diverged, or an output failed while being written
EXIT_BAD_INPUT = 2


class BadInput(Exception):
    """A user error: reported as one line, exit status 2."""
