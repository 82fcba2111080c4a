"""A log axis for numbers of any size: a diverging run's loss climbs to 1e280 before it turns into
infinity, and its curve is still drawn.

Over hundreds of decades matplotlib's LogLocator strides several decades between ticks, and its
last tick falls past the largest float (10**330 is inf); LogFormatter then ends in OverflowError
("cannot convert float infinity to integer").  ``log_scale`` sets the log scale with locators
that keep the finite ticks only, and ``drawable`` caps what is drawn at LARGEST, so that the
axis's limits (the data grown by its margins) stay finite too.
"""

import numpy as np
from matplotlib.ticker import LogLocator

#: The largest value a log axis draws: a larger one (or +inf) is drawn at LARGEST, the top of the axis.
LARGEST = 1e250


class FiniteLogLocator(LogLocator):
    """LogLocator without the ticks that overflow to infinity."""

    def tick_values(self, vmin, vmax):
        with np.errstate(over="ignore", invalid="ignore"):
            ticks = super().tick_values(vmin, vmax)
        return ticks[np.isfinite(ticks)]


def log_scale(ax, axis="y"):
    """Put ``axis`` ("x" or "y") of ``ax`` on a log scale whose ticks are all finite."""
    getattr(ax, f"set_{axis}scale")("log")
    which = getattr(ax, f"{axis}axis")
    for locator in (which.get_major_locator(), which.get_minor_locator()):
        if type(locator) is LogLocator:
            locator.__class__ = FiniteLogLocator  # the same settings (base, subs), finite ticks


def drawable(values):
    """``values`` as a float array with everything above LARGEST (+inf included) at LARGEST; NaN
    stays NaN (a gap in the line)."""
    values = np.asarray(values, dtype=np.float64)
    return np.where(values > LARGEST, LARGEST, values)
