"""The pictures, checked as matplotlib objects: panels, titles, colour bars, markers, frames."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.contour import ContourSet  # noqa: E402
from matplotlib.image import AxesImage  # noqa: E402

from backprop_lab.commands.compare import run as compare  # noqa: E402
from backprop_lab.commands.compare import pictures  # noqa: E402
from backprop_lab.config import Config  # noqa: E402
from backprop_lab.figures.animation import build_animation, snapshot_every, write_animation  # noqa: E402
from backprop_lab.figures.boundary import Plane, draw_boundary  # noqa: E402
from backprop_lab.figures.comparison import comparison_figure  # noqa: E402
from backprop_lab.figures.neurons import MAX_NEURONS_SHOWN, neuron_figure  # noqa: E402


@pytest.fixture(scope="module")
def run():
    """A short run with held-out points (the pictures do not need a trained network)."""
    return compare.run_split(Config(dataset="circle", samples=60, test_fraction=0.25, epochs=40,
                                    report_every=20, hidden=(4, 4), lr=2.0), snapshot_every=20)


def _markers(ax):
    """The scatter markers on ``ax``: how many points drawn as dots and as triangles."""
    counts = {"dots": 0, "triangles": 0}
    for collection in ax.collections:
        if collection.__class__.__name__ == "PathCollection":
            vertices = len(collection.get_paths()[0].vertices)
            counts["triangles" if vertices <= 5 else "dots"] += len(collection.get_offsets())
    return counts


def _colorbar_labels(fig):
    return [ax.get_ylabel() or ax.get_xlabel() for ax in fig.axes if hasattr(ax, "_colorbar")]


def test_one_boundary_panel_on_a_given_axes_from_a_function_or_a_grid():
    X = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    Y = np.array([[0.0], [0.0], [1.0]])
    plane = Plane.around(X, resolution=50)
    calls = []

    def predict(points):
        calls.append(points.shape)
        return 1 / (1 + np.exp(-10 * (points[:, 1:] - points[:, :1])))

    fig, (a, b) = plt.subplots(1, 2)
    draw_boundary(a, predict, X, Y, plane=plane, X_test=X[:1], Y_test=Y[:1], title="from a function")
    draw_boundary(b, plane.evaluate(predict), X, Y, plane=plane, colorbar=False, title="from a grid")
    assert calls == [(2500, 2), (2500, 2)]  # one batched call over the 50 x 50 grid each
    for ax in (a, b):
        assert len([c for c in ax.get_children() if isinstance(c, AxesImage)]) == 1
        assert len([c for c in ax.get_children() if isinstance(c, ContourSet)]) == 1  # y_hat = 0.5
    assert _markers(a) == {"dots": 3, "triangles": 1} and _markers(b) == {"dots": 3, "triangles": 0}
    assert a.get_title() == "from a function" and a.get_xlabel() == "x0" and a.get_ylabel() == "x1"
    assert len(_colorbar_labels(fig)) == 1  # b asked for none
    plt.close(fig)


def test_the_run_figure_shows_truth_both_boundaries_curves_and_one_colour_bar(run):
    view = pictures.run_view(run)
    assert {name: image.shape for name, image in view.images.items()} == {"scalar_net": (200, 200),
                                                                         "matrix_net": (200, 200)}
    fig = comparison_figure(view)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[0].startswith("Ground truth") and "45 training points, 15 held-out test points" in titles[0]
    for name in ("scalar_net", "matrix_net"):
        title = next(t for t in titles if t.startswith(name))
        assert "training" in title and "test" in title and "%" in title
    assert "Loss" in titles and "Accuracy" in titles
    assert _colorbar_labels(fig) == ["ŷ, the network's output (P(class 1))"]
    loss = next(ax for ax in fig.axes if ax.get_title() == "Loss")
    assert loss.get_yscale() == "log"
    labels = [line.get_label() for line in loss.get_lines()]
    assert labels == ["scalar_net training", "scalar_net test", "matrix_net training", "matrix_net test"]
    for ax in fig.axes[:3]:
        assert _markers(ax) == {"dots": 45, "triangles": 15}
    assert "circle" in fig._suptitle.get_text() and "2-4-4-1" in fig._suptitle.get_text()
    plt.close(fig)


@pytest.mark.parametrize("hidden, activation, shown, bars", [
    ((4, 4), "sigmoid", [2, 4, 4, 1], ["input value", "a = sigmoid(z) and ŷ = sigmoid(z)"]),
    ((3,), "tanh", [2, 3, 1], ["input value", "a = tanh(z)", "ŷ = sigmoid(z)"]),
    ((20, 5, 2), "sigmoid", [2, MAX_NEURONS_SHOWN, 5, 2, 1], ["input value", "a = sigmoid(z) and ŷ = sigmoid(z)"])])
def test_neuron_maps_follow_the_network_columns_and_cap_wide_layers(hidden, activation, shown, bars):
    from backprop_lab.network import init_params
    import matrix_net

    plane = Plane.around(np.array([[-1.0, -1.0], [1.0, 1.0]]), resolution=40)
    params = init_params((2, *hidden, 1), seed=0)
    layers = matrix_net.all_activations(params, plane.points, activation=activation)
    X, Y = np.zeros((3, 2)), np.array([[0.0], [1.0], [1.0]])
    fig = neuron_figure(plane, layers, X, Y, activation=activation, title="neurons")
    assert [len(column) for column in fig.maps] == shown
    assert [name for name, _ in fig.maps[0]] == ["x0", "x1"] and [n for n, _ in fig.maps[-1]] == ["ŷ"]
    assert [name for name, _ in fig.maps[1]] == [f"neuron {k + 1}" for k in range(shown[1])]
    for column, values in zip(fig.maps, layers):  # each map is its neuron's activations
        for k, (_, image) in enumerate(column):
            np.testing.assert_array_equal(image.get_array(), plane.image(values[:, k]))
    assert _colorbar_labels(fig) == bars
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts[0] == "inputs" and "output ŷ" in texts
    wide = [t for t in texts if "shown" in t]
    assert wide == ([f"hidden layer 1\n(sigmoid)\nfirst {MAX_NEURONS_SHOWN} of 20 shown"] if 20 in hidden else [])
    plt.close(fig)


def test_the_animation_has_one_frame_per_snapshot(run, tmp_path):
    epochs = [epoch for epoch, _ in run.snapshots]
    assert epochs == [0, 20, 40]
    plane = pictures.plane_for(run, resolution=30)
    images = [(epoch, plane.evaluate(lambda p, params=params: __import__("matrix_net").predict(params, p)))
              for epoch, params in run.snapshots]
    fig, show = build_animation(plane, images, run.X, run.Y, np.asarray(run.matrix.loss))
    show(1)
    boundary, curve = fig.axes[0], next(ax for ax in fig.axes if ax.get_title() == "Loss")
    assert boundary.get_title() == "matrix_net: ŷ after 20 epochs"
    assert len(curve.get_lines()[1].get_xdata()) == 20  # the loss so far
    plt.close(fig)
    path = tmp_path / "run.gif"
    assert write_animation(path, plane, images, run.X, run.Y, np.asarray(run.matrix.loss)) == 3
    from PIL import Image

    with Image.open(path) as gif:
        assert gif.n_frames == 3


@pytest.mark.parametrize("epochs, frames", [(1, 2), (40, 41), (10_000, 41), (10_001, 42)])
def test_snapshots_give_about_forty_frames(epochs, frames):
    every = snapshot_every(epochs)
    assert len({0, *range(every, epochs, every), epochs}) == frames


def test_compare_animate_writes_one_frame_per_snapshot(tmp_path, capsys):
    from PIL import Image

    from backprop_lab.commands.cli import main

    path = tmp_path / "run.gif"
    assert main(["compare", "--epochs", "2", "--report-every", "1", "--animate", str(path)]) == 0
    assert "(3 frames)" in capsys.readouterr().out  # epochs 0, 1 and 2
    with Image.open(path) as gif:
        assert gif.n_frames == 3
    assert [p.name for p in tmp_path.iterdir()] == ["run.gif"]


@pytest.mark.parametrize("args, named", [(["--animate", "{tmp}/run.png"], "--animate"),
                                         (["--plot", "{tmp}/run.png"], "run-neurons.png")])
def test_picture_outputs_are_checked_before_any_work(args, named, tmp_path, capsys):
    from backprop_lab.commands.cli import main

    (tmp_path / "run-neurons.png").mkdir()  # where --plot would put the neuron maps: a folder
    assert main(["compare", "--epochs", "2", *[a.format(tmp=tmp_path) for a in args]]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and named in err
    assert [p.name for p in tmp_path.iterdir()] == ["run-neurons.png"]


def test_the_pictures_count_in_the_memory_estimate(tmp_path, capsys):
    from backprop_lab.commands.cli import main
    from backprop_lab.commands.shared.checks import compare_bytes

    config = Config(hidden=(3000, 3000), epochs=1)
    assert compare_bytes(config) < 2 * 2**30 < compare_bytes(config, pictures=True)  # 40,000 x 6,003 activations
    assert main(["compare", "--hidden", "3000", "3000", "--epochs", "1", "--plot", str(tmp_path / "p.png")]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and "--allow-large" in err
