"""The PNG of a benchmark run: time per epoch against width and against batch size."""

from backprop_lab.commands.bench.report import crossover
from backprop_lab.commands.bench.results import MATRIX, SCALAR


#: The two trainers by what they are, the others by name.
LABELS = {SCALAR: "scalar_net (element-wise)", MATRIX: "matrix_net (matrix form)"}


def _plot_sweep(axis, run, vary, xlabel):
    from matplotlib.ticker import NullLocator

    points = run.series(vary)
    if len(points) < 2:  # the lab's point alone draws no line
        source = "benchmarks/bench_width.py" if vary == "hidden" else "benchmarks/bench_batch.py"
        axis.text(0.5, 0.5, f"this run timed {'one size' if points else 'no size'} here:\n"
                            f"run {source} too to draw the sweep", ha="center", va="center",
                  transform=axis.transAxes)
        axis.set_xlabel(xlabel)
        axis.set_xticks([])
        axis.set_yticks([])
        return
    for impl in run.implementations({wid for _, wid in points}, at_least=min(2, len(points))):
        xs = [x for x, wid in points if run.time(wid, impl)]
        ys = [run.time(wid, impl) for _, wid in points if run.time(wid, impl)]
        axis.plot(xs, ys, marker="o", label=LABELS.get(impl, impl), linewidth=2.5 if impl in (SCALAR, MATRIX) else 1.2)
    x, text = crossover([(x, run.time(wid, SCALAR), run.time(wid, MATRIX)) for x, wid in points])
    if x is not None:
        axis.axvline(x, color="grey", linestyle=":")
        axis.annotate(f"crossover ~{x:.0f}", (x, 0.03), xycoords=("data", "axes fraction"), ha="center",
                      va="bottom", fontsize=8, backgroundcolor="white")
    axis.set_xscale("log")
    axis.set_yscale("log")
    axis.set_xticks([x for x, _ in points], [str(x) for x, _ in points])
    axis.xaxis.set_minor_locator(NullLocator())
    axis.set_xlabel(xlabel)
    axis.set_ylabel("time per epoch (s)")
    axis.grid(True, which="both", alpha=0.3)
    axis.legend(fontsize=8)


def plot_figure(run):
    """The Figure: time per epoch against the width and against the batch size."""
    from backprop_lab.figures.new import new_figure

    figure = new_figure(figsize=(12, 4.8))
    left, right = figure.subplots(1, 2)
    _plot_sweep(left, run, "hidden", "width H of 2-H-H-1 (linear-100, full batch)")
    _plot_sweep(right, run, "n", "batch size n (2-4-4-1, linear-n, full batch)")
    figure.suptitle("Element-wise (scalar_net) or matrix (matrix_net): time per epoch")
    figure.tight_layout()
    return figure


def plot(run, path):
    """Draw the figure into the file ``path`` (a temporary one: see command.run)."""
    from backprop_lab.figures.save import write_png

    write_png(plot_figure(run), path, dpi=110)
