"""Learning curves of many seeds: per setting, the median per epoch and a band from the lowest to
the highest seed, loss (log scale) beside accuracy, over epochs on a log scale (what happens in
the first hundred epochs matters as much as what happens in the last thousands)."""

import matplotlib
import numpy as np

from backprop_lab.figures.logscale import LARGEST, log_scale
from backprop_lab.figures.new import new_figure


def setting_colours(count, ordered):
    """One colour per setting: for ordered values (small -> large) a rainbow-like map whose hues
    stay distinct and run in order (turbo, without its palest ends); else tab10."""
    if ordered:
        return [matplotlib.colormaps["turbo"](x) for x in np.linspace(0.05, 0.95, count)]
    return [matplotlib.colormaps["tab10"](i % 10) for i in range(count)]


#: Beyond this many settings the accuracy panel draws medians only.
MAX_ACCURACY_BANDS = 4
#: At most this many points per drawn line; longer curves are drawn block by block.
MAX_POINTS = 400


def block_ends(epochs, points=MAX_POINTS):
    """Last epoch (1-based) of each block when ``epochs`` are cut into at most ``points`` blocks of
    about equal width on a log scale (the epoch axis is logarithmic)."""
    return np.unique(np.round(np.geomspace(1, epochs, min(points, epochs))).astype(int))


def thin(median, low, high, ends):
    """(median, lowest, highest) per block: the median at the block's last epoch, and the lowest and
    highest seed anywhere in the block, so that no spike of any seed is lost from the band."""
    starts = np.concatenate([[0], ends[:-1]])
    with np.errstate(invalid="ignore"):
        lows = np.array([np.nanmin(low[a:b]) if np.isfinite(low[a:b]).any() else np.nan
                         for a, b in zip(starts, ends)])
        highs = np.array([np.nanmax(high[a:b]) if not np.isnan(high[a:b]).all() else np.nan
                          for a, b in zip(starts, ends)])
    return median[ends - 1], lows, highs


def learning_curves(settings, *, title, legend_title, ordered):
    """The Figure (not saved: see backprop_lab.figures.save): two panels, loss and accuracy per epoch.

    settings: list of dicts with ``label``, ``loss`` and ``accuracy`` (each ``(median, lowest,
    highest)`` arrays over epochs, from backprop_lab.commands.experiment.statistics.band), ``runs`` and
    ``diverged_epochs`` (1-based epochs, one per diverged run).
    """
    fig = new_figure(figsize=(12, 4.8), layout="constrained")
    ax_loss, ax_acc = fig.subplots(1, 2, sharex=True)
    colours = setting_colours(len(settings), ordered)
    finite = np.concatenate([np.ravel(s["loss"][1:]) for s in settings])
    finite = finite[np.isfinite(finite) & (finite > 0)]
    top = min(float(finite.max()) * 2, LARGEST) if finite.size else 1.0  # finite, and drawn (logscale)
    bottom = float(finite.min()) / 2 if finite.size else 1e-3
    any_diverged = False
    # Accuracy moves in steps of 1/n and the seeds' ranges overlap: beyond a few settings their
    # bands hide one another, so only the medians are drawn (the loss panel keeps every band).
    accuracy_bands = len(settings) <= MAX_ACCURACY_BANDS
    for setting, colour in zip(settings, colours):
        median, low, high = setting["loss"]
        ends = block_ends(median.size)
        median, low, high = thin(median, low, high, ends)
        label = setting["label"]
        if setting["diverged_epochs"]:
            any_diverged = True
            label += f"  ({len(setting['diverged_epochs'])} of {setting['runs']} diverged)"
        # a band reaching +inf (a diverged seed) is drawn to the top of the axes
        ax_loss.fill_between(ends, np.minimum(low, top), np.minimum(high, top), color=colour, alpha=0.12,
                             linewidth=0)
        ax_loss.plot(ends, np.where(np.isfinite(median), np.minimum(median, top), np.nan), color=colour, label=label,
                     linewidth=1.6)
        if setting["diverged_epochs"]:
            ax_loss.plot(setting["diverged_epochs"], [top] * len(setting["diverged_epochs"]), "x",
                         color=colour, markersize=9, markeredgewidth=2, clip_on=False)
        acc_median, acc_low, acc_high = thin(*(100 * a for a in setting["accuracy"]), ends)
        if accuracy_bands:
            ax_acc.fill_between(ends, acc_low, acc_high, color=colour, alpha=0.12, linewidth=0)
        ax_acc.plot(ends, acc_median, color=colour, label=label, linewidth=1.6)
    log_scale(ax_loss)
    ax_loss.set_ylim(bottom, top)
    log_scale(ax_loss, "x")
    ax_loss.set_xlabel("epoch (log scale)")
    ax_loss.set_ylabel("training loss (log scale)")
    ax_loss.set_title("Loss: median and range over the seeds"
                      + ("\n× at the top: a seed diverged at that epoch" if any_diverged else ""),
                      pad=12 if any_diverged else 6)
    ax_acc.set_ylim(0, 102)
    ax_acc.set_xlabel("epoch (log scale)")
    ax_acc.set_ylabel("training accuracy (%)")
    ax_acc.set_title("Accuracy: median and range over the seeds" if accuracy_bands
                     else "Accuracy: median over the seeds")
    ax_acc.axhline(100, color="0.6", linewidth=0.8, linestyle=":")
    for ax in (ax_loss, ax_acc):
        ax.grid(True, which="major", alpha=0.3)
    fig.legend(*ax_loss.get_legend_handles_labels(), loc="outside right upper", title=legend_title)
    fig.suptitle(title)
    return fig
