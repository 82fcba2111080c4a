"""The playground: both trainers on one network, side by side, a few epochs at a time.

- ``model``: what the playground holds and does, in plain Python: the data, both trainers'
  parameters and curves, a step, a reset, the largest difference between the two networks, and
  the numbers of the next step for one sample.  Tested without a browser (tests/test_playground.py).
- ``trace_text``: one sample's next step written out as formulas with the trainers' numbers.
- ``view``: the controls and the live picture (ipywidgets and matplotlib), opened by
  ``backprop_lab.playground()``; the only module here that needs ipywidgets, so nothing imports
  it but that call.

The package is ``play`` and not ``playground`` so that ``backprop_lab.playground``, the function,
is never replaced by a subpackage of the same name when the subpackage is imported.
"""

from backprop_lab.play.model import Playground, parse_widths, with_recipe

__all__ = ["Playground", "parse_widths", "with_recipe"]
