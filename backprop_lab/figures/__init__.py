"""The pictures drawn from the trainers' results, ready to paste into a lab report or to look at in
a notebook.

Every drawing function returns its ``matplotlib.figure.Figure`` and writes nothing:
``comparison.comparison_figure``, ``neurons.neuron_figure``, ``lab.classes_figure`` and
``lab.learning_curve_figure`` (the lab's own pair), ``diagram.figure``,
``boundary_grid.boundary_grid``, ``heatmap.accuracy_table``, ``seed_curves.learning_curves``,
``gradients.gradient_norm_figure`` and ``gradients.gradient_norm_panels`` (each layer's gradient norm),
``classes.classes_plane_figure`` (K classes on the plane), ``digits.confusion_figure``,
``digits.weight_images_figure`` and ``digits.examples_figure`` (the 8x8 digits);
``animation.build_animation`` returns the Figure with the function that turns it into frame f
(``animation.animation``: the same as a matplotlib FuncAnimation).  ``boundary.draw_boundary``,
``boundary.draw_truth`` and ``curves.draw_curves`` draw one panel onto an Axes the caller gives.
Writing a file is a step of its own, the commands' (``save``: whole or not at all).

No module chooses a matplotlib backend (none calls ``matplotlib.use``, none draws through pyplot):
the command line chooses a non-interactive one, a notebook keeps its inline one.

Why ``Figure()`` (``new.new_figure``) and not ``plt.figure()``.  Measured in a Jupyter kernel
(ipykernel 7.4, IPython 9.18, matplotlib-inline 0.2.2, matplotlib 3.11):

- a figure made through pyplot and returned as a cell's value is shown twice: once as the cell's
  result, and again by the inline backend, which after every cell shows (and closes) each figure
  pyplot holds;
- pyplot holds every figure it makes until it is closed: a command that draws dozens (experiment)
  must close each one, and one it misses stays in memory for the rest of the run;
- a ``Figure()`` belongs to its caller alone: returned as a cell's value it is shown once, by the
  PNG formatter that matplotlib-inline gives IPython for Figures (``Figure._repr_html_`` serves
  only the WebAgg backends), and it is freed like any object; ``savefig`` needs no backend (a
  PNG is drawn by Agg).

The one catch: IPython learns to show a Figure as a picture only when the inline backend is
loaded, which pyplot does at its first figure; before that a bare ``Figure()`` prints as
``<Figure size ... with N Axes>``.  So ``new_figure`` returns ``new.Figure``, a Figure whose only
addition is ``_repr_png_``, the method IPython falls back on while no formatter is registered
(once the inline backend has registered one, IPython uses that, with the user's settings): shown
once either way, and no backend loaded by us.  A figure of ours is not shown by ``plt.show()``
(pyplot does not hold it): in a notebook it is shown as a cell's value or by ``display(fig)``; a
script writes it with ``savefig`` or ``save.save``.
"""
