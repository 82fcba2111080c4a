"""Cannot be checked: gradients ends the Python process (os._exit, which nothing can catch)."""

import os


def gradients(params, X, y):
    os._exit(3)
