"""The pictures, checked as matplotlib objects: panels, titles, colour bars, markers, frames; and
plain matplotlib: no backend chosen on import, a Figure returned by every drawing function, shown
once in a notebook, written by the commands without a display."""

import importlib
import importlib.util
import inspect
import json
import os
import pkgutil
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from matplotlib.animation import FuncAnimation
from matplotlib.contour import ContourSet
from matplotlib.figure import Figure
from matplotlib.image import AxesImage

import matrix_net
from backprop_lab.commands.bench import figure as bench_figure
from backprop_lab.commands.bench.results import Run
from backprop_lab.commands.compare import run as compare
from backprop_lab.commands.compare import pictures
from backprop_lab.commands.trace import step as trace_module
from backprop_lab.config import Config, prepare
from backprop_lab.figures import animation, diagram
from backprop_lab.figures.animation import build_animation, snapshot_every
from backprop_lab.figures.boundary import Plane, draw_boundary
from backprop_lab.figures.boundary_grid import boundary_grid
from backprop_lab.figures.classes import class_colours, classes_plane_figure, draw_classes
from backprop_lab.figures.digits import (confusion_counts, confusion_figure, examples_figure, mistakes_first,
                                         weight_images_figure)
from backprop_lab.figures.comparison import comparison_figure
from backprop_lab.figures.gradients import gradient_norm_figure, gradient_norm_panels
from backprop_lab.figures.heatmap import accuracy_table
from backprop_lab.figures.lab import classes_figure, learning_curve_figure
from backprop_lab.figures.neurons import MAX_NEURONS_SHOWN, neuron_figure
from backprop_lab.figures.save import save_frames
from backprop_lab.figures.seed_curves import learning_curves


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

    fig = Figure()
    a, b = fig.subplots(1, 2)
    draw_boundary(a, predict, X, Y, plane=plane, X_test=X[:1], Y_test=Y[:1], title="from a function")
    draw_boundary(b, plane.evaluate(predict), X, Y, plane=plane, colorbar=False, title="from a grid")
    assert calls == [(2500, 2), (2500, 2)]  # one batched call over the 50 x 50 grid each
    for ax in (a, b):
        assert len([c for c in ax.get_children() if isinstance(c, AxesImage)]) == 1
        assert len([c for c in ax.get_children() if isinstance(c, ContourSet)]) == 1  # y_hat = 0.5
    assert _markers(a) == {"dots": 3, "triangles": 1} and _markers(b) == {"dots": 3, "triangles": 0}
    assert a.get_title() == "from a function" and a.get_xlabel() == "x0" and a.get_ylabel() == "x1"
    assert len(_colorbar_labels(fig)) == 1  # b asked for none


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


def _lab_classes(run):
    """The lab's classes figure of ``run``, from matrix_net's outputs, and those outputs."""
    y_hat = matrix_net.predict(run.matrix.params, run.X)
    y_hat_test = matrix_net.predict(run.matrix.params, run.X_test)
    fig = classes_figure(pictures.plane_for(run), run.X, run.Y, y_hat, X_test=run.X_test, Y_test=run.Y_test,
                         y_hat_test=y_hat_test, agreement="scalar_net agrees", title="circle")
    return fig, y_hat, y_hat_test


def _rings(ax):
    """The points ringed as wrong: the scatter collections without a fill."""
    return sum(len(c.get_offsets()) for c in ax.collections
               if c.__class__.__name__ == "PathCollection" and len(c.get_facecolors()) == 0)


def test_the_lab_figure_shows_the_truth_beside_the_predicted_class_and_rings_the_wrong_points(run):
    fig, y_hat, y_hat_test = _lab_classes(run)
    truth, predicted = fig.axes
    wrong = int(np.sum((y_hat > 0.5) != (run.Y > 0.5))), int(np.sum((y_hat_test > 0.5) != (run.Y_test > 0.5)))
    assert sum(wrong) > 0  # 40 epochs: the run still gets some wrong, so there are rings to count
    assert truth.get_title() == "Ground truth\n45 training points, 15 held out"
    assert predicted.get_title() == (f"Predicted by matrix_net (scalar_net agrees)\ntraining {45 - wrong[0]} of 45 "
                                     f"right, held out {15 - wrong[1]} of 15 right")
    assert _rings(predicted) == sum(wrong) and _rings(truth) == 0
    assert _markers(truth) == {"dots": 45, "triangles": 15}
    assert _markers(predicted) == {"dots": 45 + sum(wrong), "triangles": 15}  # each point, and a ring per wrong one

    def colours(ax):  # the fill of every point, in drawing order
        return np.vstack([c.get_facecolors() for c in ax.collections if len(c.get_facecolors())])

    from backprop_lab.figures.boundary import CLASS_COLOURS
    labels = np.vstack([run.Y, run.Y_test]).ravel().astype(int)
    classes = (np.vstack([y_hat, y_hat_test]) > 0.5).ravel().astype(int)
    np.testing.assert_allclose(colours(truth), np.array(CLASS_COLOURS)[labels])  # by label ...
    np.testing.assert_allclose(colours(predicted), np.array(CLASS_COLOURS)[classes])  # ... and by class
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["class 0", "class 1", "held-out point", "predicted class ≠ label"]
    fig.draw_without_rendering()  # laid out: the legend is below the panels, where it hides no point
    assert fig.legends[0].get_window_extent().y1 <= min(ax.get_window_extent().y0 for ax in fig.axes)


def test_the_lab_learning_curve_is_the_loss_on_a_log_scale_with_the_accuracy_beside_it(run):
    fig = learning_curve_figure(pictures.Curves(run.matrix.loss, run.matrix.accuracy, run.matrix.test_epochs,
                                                run.matrix.test_loss, run.matrix.test_accuracy), title="curve")
    loss, accuracy = fig.axes
    assert loss.get_yscale() == "log" and loss.get_xlabel() == "epoch" and loss.get_ylabel() == "loss (log scale)"
    assert accuracy.get_ylabel() == "accuracy" and accuracy.get_ylim() == (0, 105)
    np.testing.assert_array_equal(loss.get_lines()[0].get_ydata(), run.matrix.loss)
    np.testing.assert_array_equal(accuracy.get_lines()[0].get_ydata(), np.asarray(run.matrix.accuracy) * 100)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [
        "loss, training points", "loss, held-out points", "accuracy, training points", "accuracy, held-out points"]

def test_the_lab_pairs_titles_say_whether_scalar_nets_network_agrees(run):
    import dataclasses

    y_hat = matrix_net.predict(run.matrix.params, np.vstack([run.X, run.X_test]))
    assert pictures._class_agreement(run.config, run, y_hat) == "scalar_net agrees"
    assert pictures._curve_agreement(run) == "scalar_net's lies on it"
    flipped = np.where(np.arange(len(y_hat))[:, None] < 3, 1 - y_hat, y_hat)  # three points change class
    apart = dataclasses.replace(run, scalar=dataclasses.replace(run.scalar, loss=list(np.asarray(run.scalar.loss) * 1.5)))
    assert pictures._class_agreement(run.config, apart, flipped) == "scalar_net differs on 3"
    assert pictures._curve_agreement(apart) == "scalar_net's differs by up to 50%"

@pytest.mark.parametrize("hidden, activation, shown, bars", [
    ((4, 4), "sigmoid", [2, 4, 4, 1], ["input value", "a = sigmoid(z) and ŷ = sigmoid(z)"]),
    ((3,), "tanh", [2, 3, 1], ["input value", "a = tanh(z)", "ŷ = sigmoid(z)"]),
    ((20, 5, 2), "sigmoid", [2, MAX_NEURONS_SHOWN, 5, 2, 1], ["input value", "a = sigmoid(z) and ŷ = sigmoid(z)"])])
def test_neuron_maps_follow_the_network_columns_and_cap_wide_layers(hidden, activation, shown, bars):
    from backprop_lab.network import init_params

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


def test_neuron_maps_of_k_softmax_outputs_are_one_probability_map_per_class_with_its_points():
    from backprop_lab.network import init_params

    plane = Plane.around(np.array([[-1.0, -1.0], [1.0, 1.0]]), resolution=40)
    params = init_params((2, 4, 3), seed=0)
    layers = matrix_net.all_activations(params, plane.points)
    X, Y = np.array([[0.0, 0.0], [0.5, 0.5], [-0.5, 0.5], [0.2, -0.3]]), np.array([[0.0], [1.0], [2.0], [2.0]])
    fig = neuron_figure(plane, layers, X, Y, title="neurons")
    assert [n for n, _ in fig.maps[-1]] == ["ŷ[0]: class 0", "ŷ[1]: class 1", "ŷ[2]: class 2"]
    for k, (_, image) in enumerate(fig.maps[-1]):  # P(class k) over the plane
        np.testing.assert_array_equal(image.get_array(), plane.image(layers[-1][:, k]))
    assert _colorbar_labels(fig)[-1].endswith("softmax(z)[j], P(class j)")
    from matplotlib.collections import PathCollection

    dots = [c for c in fig.axes[0].collections if isinstance(c, PathCollection) and len(c.get_offsets())]
    assert [len(c.get_offsets()) for c in dots] == [1, 1, 2]  # each class's points on its own map


def test_the_animation_has_one_frame_per_snapshot(run, tmp_path):
    epochs = [epoch for epoch, _ in run.snapshots]
    assert epochs == [0, 20, 40]
    plane = pictures.plane_for(run, resolution=30)
    images = _snapshot_images(run, plane)
    fig, show = build_animation(plane, images, run.X, run.Y, np.asarray(run.matrix.loss))
    show(1)
    boundary, curve = fig.axes[0], next(ax for ax in fig.axes if ax.get_title() == "Loss")
    assert boundary.get_title() == "matrix_net: ŷ after 20 epochs"
    assert len(curve.get_lines()[1].get_xdata()) == 20  # the loss so far
    path = tmp_path / "run.gif"
    assert save_frames(fig, show, len(images), path, fps=animation.FPS, dpi=animation.DPI) == 3
    from PIL import Image

    with Image.open(path) as gif:
        assert gif.n_frames == 3
        assert gif.size == (950, 475)  # frames of ~1000 px (they were 748 x 331)


def test_the_animations_legend_hides_no_point_and_its_tick_labels_are_readable(run):
    plane = pictures.plane_for(run, resolution=20)
    fig, show = build_animation(plane, _snapshot_images(run, plane), run.X, run.Y, np.asarray(run.matrix.loss),
                                X_test=run.X_test, Y_test=run.Y_test)
    boundary = fig.axes[0]
    assert not boundary.get_legend()  # inside the map it hid the corner (0, 1), one of XOR's points
    legend = fig.legends[0].get_window_extent()
    assert legend.y1 <= min(ax.get_window_extent().y0 for ax in fig.axes)  # below every panel
    labels = [t for ax in fig.axes for t in ax.get_xticklabels() + ax.get_yticklabels() if t.get_text()]
    assert labels and min(t.get_fontsize() for t in labels) * animation.DPI / 72 >= 14  # px per em: ~10-px digits


def _snapshot_images(run, plane):
    return [(epoch, plane.evaluate(lambda p, params=params: matrix_net.predict(params, p)))
            for epoch, params in run.snapshots]


def test_the_animation_plays_in_a_notebook_as_a_funcanimation(run):
    plane = pictures.plane_for(run, resolution=20)
    movie = animation.animation(plane, _snapshot_images(run, plane), run.X, run.Y, np.asarray(run.matrix.loss))
    assert isinstance(movie, FuncAnimation)
    html = movie.to_jshtml()  # what IPython.display.HTML shows: every frame, embedded
    assert html.count("frames[2] = ") == 1 and "frames[3] = " not in html


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


@pytest.mark.parametrize("extension, magic", [("png", (b"\x89PNG",)), ("pdf", (b"%PDF",)),
                                              ("svg", (b"<?xml", b"<svg")), ("jpg", (b"\xff\xd8",))])
def test_trace_draws_its_diagram_in_the_format_its_name_asks_for_the_same_bytes_each_time(
        extension, magic, tmp_path, capsys):
    from backprop_lab.commands.cli import main

    drawn = []
    for k in range(2):
        path = tmp_path / f"diagram{k}.{extension}"
        assert main(["trace", "--diagram", str(path)]) == 0
        drawn.append(path.read_bytes())
    assert drawn[0].startswith(magic)
    assert drawn[0] == drawn[1]  # no date, no random id: the same step, the same file

def test_the_pictures_count_in_the_memory_estimate(tmp_path, capsys):
    from backprop_lab.commands.cli import main
    from backprop_lab.commands.shared.checks import compare_bytes

    config = Config(hidden=(2500, 2500), epochs=1)
    assert compare_bytes(config) < 2 * 2**30 < compare_bytes(config, pictures=True)  # 40,000 x 5,003 activations
    assert main(["compare", "--hidden", "2500", "2500", "--epochs", "1", "--plot", str(tmp_path / "p.png")]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and "--allow-large" in err


# ---------------------------------------------------------------------------------------------
# Plain matplotlib: nothing chosen on import, a Figure from every drawing function


def _python(code, env_changes, cwd=None):
    """Run ``code`` in a fresh interpreter with the environment changed (None: unset); its stdout."""
    env = dict(os.environ)
    for name, value in env_changes.items():
        env.pop(name, None) if value is None else env.__setitem__(name, value)
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env, cwd=cwd,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


NO_DISPLAY = {"DISPLAY": None, "WAYLAND_DISPLAY": None}


@pytest.mark.parametrize("configured", [None, "svg"])
def test_importing_the_package_chooses_no_backend(configured):
    """Every module of backprop_lab (the figures and the commands that draw among them), imported
    in a fresh process: matplotlib.use is never called, and the backend stays as the user had it
    (with MPLBACKEND unset, none at all: matplotlib resolves one only when a figure needs it)."""
    report = json.loads(_python("""
        import importlib, json, pkgutil
        import matplotlib

        used = []
        matplotlib.use = lambda *args, **kwargs: used.append(args)  # before any module of ours
        before = matplotlib.rcParams._get_backend_or_none()
        import backprop_lab

        modules = [m.name for m in pkgutil.walk_packages(backprop_lab.__path__, "backprop_lab.")
                   if not m.name.endswith("__main__")]
        for name in modules:
            importlib.import_module(name)
        print(json.dumps({"modules": modules, "used": used, "before": before,
                          "after": matplotlib.rcParams._get_backend_or_none()}))
    """, {"MPLBACKEND": configured, **NO_DISPLAY}))
    assert {"backprop_lab.figures.animation", "backprop_lab.commands.compare.pictures",
            "backprop_lab.commands.experiment.report", "backprop_lab.commands.trace.command",
            "backprop_lab.commands.bench"} <= set(report["modules"])
    assert report["used"] == []
    assert report["before"] == report["after"] == configured


@pytest.fixture(scope="module")
def step():
    config = Config()
    X, Y, params = prepare(config)
    return trace_module.run(config, X[:1], Y[:1], params, ["xor sample 1"])


def _grid_rows(run):
    plane = Plane.around(run.X, resolution=20)
    image = plane.evaluate(lambda points: matrix_net.predict(run.matrix.params, points))
    panel = {"X": run.X, "Y": run.Y, "plane": plane, "title": "a setting"}
    return [[{**panel, "image": image}, {**panel, "image": None}]]  # None: a diverged run


def _band(*values):
    return tuple(np.array(values, dtype=float) for _ in range(3))  # (median, lowest, highest) per epoch


def _bench_run():
    from test_benchreport import synthetic_run

    return Run(synthetic_run()["benchmarks"])


# ---------------------------------------------------------------------------------------------
# K classes and the digits, from synthetic inputs: a fake probability function, random W1, fake predictions

CENTRES = np.array([[1.0, 0.0], [-0.5, 0.8], [-0.5, -0.8]])  # one class per centre


def _nearest_centre(points):
    """Fake softmax probabilities (N, 3): the nearer a centre, the likelier its class."""
    logits = -4.0 * ((np.asarray(points)[:, None, :] - CENTRES[None]) ** 2).sum(axis=2)
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _three_classes(n=30, seed=0):
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 3
    return CENTRES[labels] + 0.2 * rng.standard_normal((n, 2)), labels.astype(float).reshape(-1, 1)


def test_the_k_class_plane_is_coloured_by_the_argmax_lighter_where_unsure_with_the_boundaries():
    X, labels = _three_classes()
    X_test, labels_test = _three_classes(6, seed=1)
    plane = Plane.around(X, X_test, resolution=40)
    ax = Figure().subplots()
    predicted, top = draw_classes(ax, _nearest_centre, X, labels, plane=plane, X_test=X_test, labels_test=labels_test)
    np.testing.assert_array_equal(predicted, plane.image(np.argmax(_nearest_centre(plane.points), axis=1)))
    assert set(np.unique(predicted)) == {0, 1, 2}
    rgb = ax.images[0].get_array()
    sure, unsure = np.unravel_index(np.argmax(top), top.shape), np.unravel_index(np.argmin(top), top.shape)
    assert rgb[unsure].min() > rgb[sure].min()  # lighter (nearer white) where the top probability is low
    assert len(ax.collections) >= 3 + 2  # a boundary line per region, the dots, the triangles
    dots, triangles = ax.collections[-2:]
    np.testing.assert_allclose(dots.get_facecolors()[:, :3], class_colours(3)[labels.ravel().astype(int)])
    assert len(triangles.get_offsets()) == 6


def test_the_k_class_figure_has_a_legend_per_class_below_the_panel_and_says_the_score():
    X, labels = _three_classes()
    fig = classes_plane_figure(_nearest_centre, X, labels, plane=Plane.around(X, resolution=40), title="three")
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["class 0", "class 1", "class 2", "boundary"]
    fig.draw_without_rendering()
    panel = fig.axes[0]
    assert fig.legends[0].get_window_extent().y1 <= panel.get_window_extent().y0  # hides no point
    right = int(np.sum(np.argmax(_nearest_centre(X), axis=1) == labels.ravel()))
    assert fig._suptitle.get_text() == f"three\ntraining {right} of 30 right"
    assert _colorbar_labels(fig) == ["top probability (lighter: less sure)"]


def test_the_confusion_matrix_counts_true_against_predicted_and_writes_every_count():
    labels, predicted = np.array([0, 0, 1, 2, 2, 2]), np.array([0, 1, 1, 2, 2, 0])
    counts = confusion_counts(labels, predicted, classes=3)
    np.testing.assert_array_equal(counts, [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    fig = confusion_figure(labels.reshape(-1, 1).astype(float), predicted, classes=3)
    ax = fig.axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("predicted digit", "true digit")
    assert sorted(t.get_text() for t in ax.texts) == ["1", "1", "1", "1", "2"]  # zeros are left blank
    assert fig._suptitle.get_text().startswith("4 of 6 right")


def test_the_first_layers_weights_are_one_8x8_image_per_neuron_on_a_scale_centred_at_0():
    W1 = np.random.default_rng(2).standard_normal((64, 5))
    fig = weight_images_figure(W1)
    images = [ax.images[0] for ax in fig.axes if ax.images]
    assert len(images) == 5
    for j, image in enumerate(images):
        np.testing.assert_array_equal(image.get_array(), W1[:, j].reshape(8, 8))
        assert (image.norm.vmin, image.norm.vcenter, image.norm.vmax) == (-np.abs(W1).max(), 0.0, np.abs(W1).max())
    with pytest.raises(ValueError, match="shape \\(64, H\\)"):
        weight_images_figure(np.zeros((10, 5)))


def test_the_examples_show_the_mistakes_first_with_predicted_and_true_labels():
    images = np.random.default_rng(3).random((10, 64))
    labels, predicted = np.arange(10) % 10, np.arange(10) % 10
    predicted[[3, 7]] = [5, 1]
    np.testing.assert_array_equal(mistakes_first(labels, predicted)[:3], [3, 7, 0])
    fig = examples_figure(images, labels, predicted, count=4)
    shown = [ax for ax in fig.axes if ax.images]
    assert [ax.get_title() for ax in shown] == ["predicted 5\ntrue 3", "predicted 1\ntrue 7",
                                                "predicted 0\ntrue 0", "predicted 1\ntrue 1"]
    np.testing.assert_array_equal(shown[0].images[0].get_array(), images[3].reshape(8, 8))
    assert shown[0].title.get_color() != shown[2].title.get_color()  # the mistakes stand out


#: Every function that draws a figure: (name, call(run, step) -> what it returns, the Figure from that).
DRAWINGS = [
    ("comparison.comparison_figure", lambda run, step: comparison_figure(pictures.run_view(run)), None),
    ("neurons.neuron_figure", lambda run, step: neuron_figure(
        pictures.plane_for(run, resolution=20), pictures.layer_activations(run, pictures.plane_for(run, resolution=20)),
        run.X, run.Y, title="neurons"), None),
    ("diagram.figure", lambda run, step: diagram.figure(step), None),
    ("lab.classes_figure", lambda run, step: _lab_classes(run)[0], None),
    ("lab.learning_curve_figure", lambda run, step: learning_curve_figure(pictures.Curves(
        run.matrix.loss, run.matrix.accuracy), title="curve"), None),
    ("boundary_grid.boundary_grid", lambda run, step: boundary_grid(_grid_rows(run), title="grid"), None),
    ("heatmap.accuracy_table", lambda run, step: accuracy_table(
        np.full((2, 3), 0.9), np.full((2, 3), 0.8), np.ones((2, 3)), ["a", "b"], ["x", "y", "z"],
        title="table", row_title="rows", column_title="columns"), None),
    ("seed_curves.learning_curves", lambda run, step: learning_curves(
        [{"label": "one", "runs": 1, "diverged_epochs": [], "loss": _band(0.3, 0.2, 0.1),
          "accuracy": _band(0.5, 1.0, 1.0)}], title="curves", legend_title="setting", ordered=True), None),
    ("animation.build_animation", lambda run, step: build_animation(
        pictures.plane_for(run, resolution=20), _snapshot_images(run, pictures.plane_for(run, resolution=20)),
        run.X, run.Y, np.asarray(run.matrix.loss)), lambda drawn: drawn[0]),  # (Figure, show)
    ("commands.bench.plot_figure", lambda run, step: bench_figure.plot_figure(_bench_run()), None),
    ("gradients.gradient_norm_figure", lambda run, step: gradient_norm_figure(
        np.array([[0.1, 0.2, 0.4], [0.05, 0.1, 0.3]]), (2, 4, 4, 1), title="norms"),
     None),
    ("classes.classes_plane_figure", lambda run, step: classes_plane_figure(
        _nearest_centre, *_three_classes(), plane=Plane.around(_three_classes()[0], resolution=20)), None),
    ("digits.confusion_figure", lambda run, step: confusion_figure(np.arange(20) % 10, np.arange(20) % 7), None),
    ("digits.weight_images_figure", lambda run, step: weight_images_figure(np.ones((64, 3))), None),
    ("digits.examples_figure", lambda run, step: examples_figure(np.zeros((3, 64)), [1, 2, 3], [1, 2, 4]), None),
    ("gradients.gradient_norm_panels", lambda run, step: gradient_norm_panels(
        [{"title": "one", "norms": np.array([[0.1, 0.4], [0.05, 0.3]]), "sizes": (2, 4, 1)}], title="panels"), None),
]
#: The rest of the package's public functions: they draw onto an Axes the caller gives, or help.
NOT_DRAWINGS = {"animation.snapshot_every", "animation.animation", "boundary.scatter_points",
                "boundary.legend_handles", "boundary.draw_boundary", "boundary.draw_truth", "curves.draw_curves",
                "diagram.positions", "diagram.node_size", "diagram.not_finite_count", "new.new_figure", "save.write_png", "save.write_figure",
                "save.figure_format", "save.writable_formats",
                "save.png_writer", "save.figure_writer", "save.frames_writer", "save.save", "save.save_frames", "save.close", "seed_curves.setting_colours",
                "seed_curves.block_ends", "seed_curves.thin", "logscale.log_scale", "logscale.drawable",
                "gradients.layer_label", "gradients.draw_gradient_norms", "gradients.epoch_text",
                "classes.class_colours", "classes.scatter_classes", "classes.draw_classes", "classes.legend_handles",
                "digits.confusion_counts", "digits.mistakes_first"}


@pytest.mark.parametrize("name, draw, figure_of", DRAWINGS, ids=[name for name, _, _ in DRAWINGS])
def test_every_drawing_function_returns_its_figure(name, draw, figure_of, run, step):
    drawn = draw(run, step)
    figure = drawn if figure_of is None else figure_of(drawn)
    assert isinstance(figure, Figure) and figure.axes
    assert figure.canvas.manager is None  # pyplot does not hold it: nothing to close, nothing kept open
    assert figure._repr_png_().startswith(b"\x89PNG")  # how IPython shows it before a backend is loaded


def test_the_list_of_drawing_functions_is_every_public_function_of_the_figures():
    import backprop_lab.figures

    public = set()
    for info in pkgutil.iter_modules(backprop_lab.figures.__path__):
        module = importlib.import_module(f"backprop_lab.figures.{info.name}")
        public |= {f"{info.name}.{name}" for name, value in vars(module).items()
                   if inspect.isfunction(value) and not name.startswith("_") and value.__module__ == module.__name__}
    drawings = {name for name, _, _ in DRAWINGS if not name.startswith("commands.")}
    assert public == drawings | NOT_DRAWINGS


# ---------------------------------------------------------------------------------------------
# The command line without a display; a notebook


@pytest.mark.early  # long: started right after the long runs (tests/conftest.py)
def test_the_commands_write_their_figures_without_a_display(tmp_path):
    """No DISPLAY, and MPLBACKEND naming a backend that does not exist: compare, trace and experiment
    still write their PNGs and the GIF, because drawing into a file loads no backend at all (pyplot
    would load that one at its first figure, and fail)."""
    _python("""
        from backprop_lab.commands.cli import main

        assert main(["compare", "--epochs", "2", "--report-every", "1", "--plot", "run.png",
                     "--animate", "run.gif"]) == 0
        assert main(["trace", "--diagram", "diagram.png"]) == 0
        assert main(["experiment", "lr", "--values", "0.5", "2", "--seeds", "2", "--epochs", "20",
                     "--out", "lr"]) == 0
    """, {"MPLBACKEND": "module://no_such_backend", **NO_DISPLAY}, cwd=tmp_path)
    for name in ("run.png", "run-neurons.png", "run-lab.png", "run-curve.png", "run-gradients.png", "diagram.png", "lr/curves.png",
                 "lr/boundaries.png"):
        assert (tmp_path / name).read_bytes().startswith(b"\x89PNG\r\n\x1a\n"), name
    assert (tmp_path / "run.gif").read_bytes().startswith(b"GIF89a")


def _has(module):
    return importlib.util.find_spec(module) is not None


@pytest.mark.skipif(not _has("IPython"), reason="IPython is not installed (nor needed by the package)")
def test_in_a_notebook_a_returned_figure_is_shown_once():
    """An IPython shell as Jupyter runs it (with matplotlib-inline's backend where installed): a
    cell that ends with a drawing function's Figure shows it as one PNG, before pyplot has loaded
    the backend and after; the inline backend's end-of-cell display of pyplot's figures adds none."""
    inline = _has("matplotlib_inline")
    shown = json.loads(_python("""
        import json
        from IPython.core.interactiveshell import InteractiveShell

        shell = InteractiveShell.instance()
        outputs = []
        shell.display_pub.publish = lambda data, *args, **kwargs: outputs.append(("display", sorted(data)))
        shell.displayhook.write_format_data = lambda data, *args: outputs.append(("result", sorted(data)))
        cells = ["import numpy as np\\n"
                 "from backprop_lab.figures.heatmap import accuracy_table\\n"
                 "medians = np.array([[0.9, 0.6]])\\n"
                 "accuracy_table(medians, medians, medians, ['sigmoid'], ['xor', 'circle'], title='t',"
                 " row_title='activation', column_title='data set')",
                 "import matplotlib.pyplot as plt\\n"
                 "plt.close(plt.figure())  # pyplot's first figure loads the backend\\n"
                 "accuracy_table(medians, medians, medians, ['sigmoid'], ['xor', 'circle'], title='t',"
                 " row_title='activation', column_title='data set')"]
        per_cell = []
        for cell in cells:
            outputs.clear()
            shell.run_cell(cell, store_history=True).raise_error()
            per_cell.append(list(outputs))
        import matplotlib
        print("\\n" + json.dumps({"cells": per_cell, "backend": matplotlib.get_backend()}))
    """, {"MPLBACKEND": "module://matplotlib_inline.backend_inline" if inline else "agg", **NO_DISPLAY})
        .splitlines()[-1])  # after the shell's own "Out[n]:" prompts
    assert shown["backend"] == ("module://matplotlib_inline.backend_inline" if inline else "agg")
    for outputs in shown["cells"]:
        assert [kind for kind, formats in outputs if "image/png" in formats] == ["result"]
