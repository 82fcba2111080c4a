"""The run's picture: ground truth beside each trainer's decision boundary, and the learning curves.

Built from arrays only (the command evaluates the trainers); ``comparison_figure`` returns the
matplotlib Figure (backprop_lab.figures.save writes it).
"""

from dataclasses import dataclass, field

from backprop_lab.figures.boundary import Plane, draw_boundary, draw_truth, legend_handles
from backprop_lab.figures.curves import Curves, draw_curves
from backprop_lab.figures.new import new_figure


@dataclass
class RunView:
    """What the pictures show of one run.

    title:      one line naming the data and the network.
    X, Y:       (n, 2), (n, 1) training points;  X_test, Y_test: (k, 2), (k, 1) held-out points.
    plane:      the grid the images were computed on.
    images:     trainer name -> (ny, nx) y_hat over ``plane``, from that trainer's own predict.
    accuracy:   trainer name -> (training accuracy, test accuracy or None) of the final network.
    curves:     trainer name -> Curves.
    truth:      optional (ny, nx) 0/1 image of the data set's rule over ``plane`` (rule sets only).
    """

    title: str
    X: object
    Y: object
    X_test: object
    Y_test: object
    plane: Plane
    images: dict
    accuracy: dict
    curves: dict = field(default_factory=dict)
    truth: object = None

    @property
    def testing(self):
        return self.X_test is not None and len(self.X_test) > 0


def _panel_title(name, accuracy):
    train, test = accuracy
    scores = f"training {train:.1%}" + ("" if test is None else f", test {test:.1%}")
    return f"{name}: ŷ over the plane\n{scores}"


def comparison_figure(view):
    """The Figure: ground truth and one boundary panel per trainer (one shared ŷ colour bar),
    a legend for the points, then loss and accuracy curves.

    The layout is fixed by hand (no constrained layout, which measured every tick label over and
    over and took most of the drawing time).
    """
    columns = 1 + len(view.images)
    fig = new_figure(figsize=(3.9 * columns + 1.1, 8.0))
    outer = fig.add_gridspec(2, 1, height_ratios=(1.3, 1.0), left=0.06, right=0.93, top=0.88, bottom=0.07,
                             hspace=0.5)
    top = outer[0].subgridspec(1, columns + 1, width_ratios=(1,) * columns + (0.05,), wspace=0.12)
    axes = [fig.add_subplot(top[0, k]) for k in range(columns)]
    test = dict(X_test=view.X_test, Y_test=view.Y_test) if view.testing else {}
    points = f"{len(view.X)} training points" + (f", {len(view.X_test)} held-out test points" if view.testing else "")
    heading = f"Ground truth{' (shaded: the rule)' if view.truth is not None else ''}\n{points}"
    draw_truth(axes[0], view.X, view.Y, plane=view.plane, title=heading, truth=view.truth, **test)
    for ax, (name, image) in zip(axes[1:], view.images.items()):
        artist = draw_boundary(ax, image, view.X, view.Y, plane=view.plane, colorbar=False,
                               title=_panel_title(name, view.accuracy[name]), **test)
        ax.set_ylabel("")  # the same plane as the ground truth's, whose x1 axis is labelled
        ax.tick_params(labelleft=False)
    bar = fig.colorbar(artist, cax=fig.add_subplot(top[0, columns]), ticks=[0, 0.25, 0.5, 0.75, 1])
    bar.set_label("ŷ, the network's output (P(class 1))")
    fig.legend(handles=legend_handles(view.testing), loc="center", bbox_to_anchor=(0.5, 0.425), ncols=4,
               fontsize="small", frameon=False)
    if view.curves:
        bottom = outer[1].subgridspec(1, 2, wspace=0.18)
        draw_curves(fig.add_subplot(bottom[0, 0]), fig.add_subplot(bottom[0, 1]), view.curves)
    fig.suptitle(view.title, fontsize="large")
    return fig


__all__ = ["RunView", "Curves", "comparison_figure"]
