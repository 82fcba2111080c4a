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
  ``exercise``, ``check``, ``derive``, ``bench``), a folder each, which run the trainers and
  report on them; ``figures``: the pictures drawn from their results; ``check``: what checks a
  student's own gradients; ``play``: the playground, which ``playground()`` below opens in a
  notebook (the one name this module takes from a part that runs the trainers, imported only
  when it is called).
"""


def playground(**changes):
    """Both trainers side by side, live, in a Jupyter cell: ``backprop_lab.playground()``.

    Controls for the data set, noise, network, activation, loss, optimizer, step size, batch size,
    seed and exact mode; buttons to step, play, pause and reset; the decision boundaries, the loss
    curves, the largest difference between the two networks, and a chosen sample's next step with
    every number.  ``changes`` are Config fields to start from (``playground(dataset="moons")``).
    Needs ipywidgets: ``pip install 'backprop-lab[notebook]'`` (backprop_lab.play.view).
    """
    try:
        from backprop_lab.play.view import playground as open_playground
    except ModuleNotFoundError as missing:
        if missing.name != "ipywidgets":
            raise
        raise ModuleNotFoundError("the playground needs ipywidgets: pip install 'backprop-lab[notebook]'",
                                  name="ipywidgets") from None
    return open_playground(**changes)
