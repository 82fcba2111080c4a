"""backprop-lab: element-wise and matrix backpropagation, side by side, shown to be one algorithm.

The package is laid out by what depends on what:

- the shared ground, in this folder: ``conventions`` (the one statement of the conventions),
  ``options``, ``config`` (one run's settings and what its seed fixes), ``data``, ``network``
  (sizes, seeded initial weights, what a trainer returns), ``files`` (written whole or not at
  all), ``limits`` (memory), ``machine`` and ``formatting`` (durations and Markdown tables as
  every report writes them).  It imports neither trainer; both trainers import it.
- the two trainers, beside this package: ``scalar_net`` (element by element) and ``matrix_net``
  (whole layers as matrix products).  Neither imports the other.
- ``commands``: the lab's commands (``backprop-lab compare``, ``experiment``, ``trace``,
  ``derive``, ``bench``), a folder each, which run the trainers and report on them; ``figures``:
  the pictures drawn from their results.
"""
