"""``backprop-lab derive``: regenerate the sympy derivations (derivations/) and their Markdown files.

command.py is the command; the derivations themselves are the ``derivations`` package.
"""
