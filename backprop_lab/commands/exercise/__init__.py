"""``backprop-lab exercise``: a starting file for a student's own backpropagation.

The file's text comes from backprop_lab.check.exercise; command.py is the command line.
"""
