"""The lab's pictures: ground truth beside each trainer's prediction, and the learning curves."""

import matplotlib

matplotlib.use("Agg")  # files only; no screen needed
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from backprop_lab.conventions import DECISION_THRESHOLD  # noqa: E402
from backprop_lab.files import atomic_path  # noqa: E402

CLASS_COLOURS = np.array(["tab:red", "tab:blue"])  # class 0, class 1, as the lab draws them


def _scatter(ax, X, labels, title):
    ax.scatter(X[:, 0], X[:, 1], c=CLASS_COLOURS[labels.astype(int).ravel()], s=18)
    ax.set_title(title)
    ax.set_aspect("equal")
    ax.set_xlabel("x0")
    ax.set_ylabel("x1")


def comparison_figure(path, X, Y, predictions, losses):
    """Write a PNG: ground truth and each trainer's predicted classes, then both learning curves.

    predictions, losses: dicts trainer name -> (n, 1) outputs y_hat / per-epoch losses.
    """
    fig = plt.figure(figsize=(4 * (1 + len(predictions)), 7.5), layout="constrained")
    grid = fig.add_gridspec(2, 1 + len(predictions), height_ratios=(1, 0.8))
    _scatter(fig.add_subplot(grid[0, 0]), X, Y, "Ground truth")
    for column, (name, y_hat) in enumerate(predictions.items(), start=1):
        accuracy = np.mean((y_hat > DECISION_THRESHOLD) == (Y > DECISION_THRESHOLD))
        _scatter(fig.add_subplot(grid[0, column]), X, y_hat > DECISION_THRESHOLD,
                 f"{name} prediction ({accuracy:.0%})")
    curves = fig.add_subplot(grid[1, :])
    for (name, loss), style in zip(losses.items(), ("-", "--", ":")):
        curves.plot(np.arange(1, len(loss) + 1), loss, style, label=name)
    curves.set_yscale("log")
    curves.set_xlabel("epoch")
    curves.set_ylabel("loss")
    curves.set_title("Learning curves")
    curves.legend()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=100)
    plt.close(fig)
