"""``backprop-lab check``: a student's own gradients, checked against the reference and diagnosed.

The work is in backprop_lab.check; command.py is the command line: its options and its output.
"""
