"""``backprop-lab experiment``: its numbers are scalar_net's, whatever the number of processes;
divergence is counted; ``table`` covers every data set; bad input writes nothing.

Few seeds and epochs keep these fast; the default sizes are measured, not tested (README).
"""

import json
import re
from pathlib import Path

import numpy as np
import pytest

import scalar_net
from backprop_lab.commands.experiment import catalogue
from backprop_lab.commands.experiment import folder, links, planning
from backprop_lab.commands.experiment import seed_runs
from backprop_lab.commands.experiment import statistics
from backprop_lab.commands.cli import main
from backprop_lab.commands.experiment.seed_runs import RunResult
from backprop_lab.config import Config, prepare
from backprop_lab.data import DATASETS
from backprop_lab.data.recipes import STEP_SIZE
from backprop_lab.files import write_json


def run_experiment(tmp_path, *args, out="report", jobs=1):
    folder = tmp_path / out
    status = main(["experiment", *args, "--out", str(folder), "--jobs", str(jobs)])
    return status, folder


def runs_of(folder):
    return json.loads((folder / "runs.json").read_text())


def direct(config_fields, seed):
    """The same run, by a direct call to scalar_net.train."""
    config = Config(**{**config_fields, "hidden": tuple(config_fields["hidden"]), "seed": seed})
    X, Y, params = prepare(config)
    with np.errstate(all="ignore"):
        return scalar_net.train(params, X, Y, epochs=config.epochs, **config.trainer_options())


def test_the_reports_numbers_are_a_direct_scalar_net_train_to_the_bit(tmp_path, capsys):
    status, folder = run_experiment(tmp_path, "optimizer", "--seeds", "2", "--epochs", "150", "--seed", "5")
    assert status == 0
    doc = runs_of(folder)
    assert doc["seeds"] == [5, 6] and doc["values"] == list(options_of("optimizer"))
    configs = {s["value"]: s["config"] for s in doc["settings"]}
    assert {v: c["lr"] for v, c in configs.items()} == catalogue.STEP_SIZE  # each at its own step size
    assert len(doc["runs"]) == 6
    for run in doc["runs"]:
        result = direct(configs[run["value"]], run["seed"])
        assert run["final_loss"] == result.loss[-1]  # JSON keeps every bit of a float
        assert run["final_accuracy"] == result.accuracy[-1]
        assert run["epochs_run"] == result.epochs_run == 150
        assert run["loss_every"] == result.loss[doc["loss_every"] - 1::doc["loss_every"]].tolist()
        assert run["first_100_epoch"] == statistics.first_perfect_epoch(result.accuracy)
    summary = doc["settings"][0]["summary"]
    sgd = [direct(configs["sgd"], seed).loss[-1] for seed in (5, 6)]
    assert summary["loss_median"] == np.median(sgd) and summary["loss_min"] == min(sgd)
    report = (folder / "report.md").read_text()
    assert "# What do momentum and Adam change?" in report and "backprop-lab experiment optimizer" in report
    assert "--jobs" not in report  # the command as recorded changes nothing with it
    assert sorted(p.name for p in folder.iterdir()) == ["boundaries.png", "curves.png", "report.md", "runs.json"]


def options_of(name):
    return catalogue.EXPERIMENTS[name].defaults


def test_one_and_two_worker_processes_give_the_same_runs_json(tmp_path, capsys):
    """runs.json is json of runs_document: built here from both runners (figures are not needed)."""
    plan = planning.plan("hidden", ["1", "3"], 3, {"epochs": 60})
    documents = []
    for jobs in (1, 2):
        grouped = planning.summarise(plan, seed_runs.run_all(plan.tasks(), jobs))
        write_json(tmp_path / f"runs-{jobs}.json", folder.runs_document(plan, grouped))
        documents.append((tmp_path / f"runs-{jobs}.json").read_bytes())
    assert documents[0] == documents[1]
    assert len(json.loads(documents[0])["runs"]) == 6


def test_a_diverged_run_is_counted_and_kept(tmp_path, capsys):
    status, folder = run_experiment(tmp_path, "lr", "--values", "0.5", "1e300", "--activation", "identity",
                                "--seeds", "2", "--epochs", "30")
    assert status == 0
    doc = runs_of(folder)
    stable, wild = doc["settings"]
    assert stable["summary"]["diverged"] == 0
    assert wild["summary"]["diverged"] == 2 and wild["summary"]["diverged_epochs"] == [2, 2]
    assert wild["summary"]["loss_median"] is None  # infinite: JSON has no infinity
    diverged = [r for r in doc["runs"] if r["value"] == "1e300"]
    assert len(diverged) == 2 and all(r["diverged_at"] == 2 and r["final_loss"] is None for r in diverged)
    report = (folder / "report.md").read_text()
    assert "| 2 of 2 (epochs 2, 2) |" in report and "∞" in report


def test_table_runs_every_activation_on_every_data_set(tmp_path, capsys):
    status, folder = run_experiment(tmp_path, "table", "--values", "sigmoid", "identity", "--seeds", "1",
                                "--epochs", "20")
    assert status == 0
    doc = runs_of(folder)
    assert doc["datasets"] == [*DATASETS, "spiral, 3 classes", "digits, 200 epochs"]
    assert sorted((r["dataset"], r["value"]) for r in doc["runs"]) == sorted(
        (d, a) for d in doc["datasets"] for a in ("sigmoid", "identity"))
    spiral3 = [s["config"] for s in doc["settings"] if s["dataset"] == "spiral, 3 classes"]
    assert all((c["dataset"], c["classes"], c["loss"]) == ("spiral", 3, "cross-entropy") for c in spiral3)
    digits = [s["config"] for s in doc["settings"] if s["dataset"] == "digits, 200 epochs"]
    assert all((c["dataset"], c["inputs"], c["classes"], c["epochs"]) == ("digits", 64, 10, 200) for c in digits)
    assert all(c["epochs"] == 20 for s in doc["settings"] if s["dataset"] in DATASETS for c in [s["config"]])
    assert all("classes" not in s["config"] for s in doc["settings"] if s["dataset"] in DATASETS)
    report = (folder / "report.md").read_text()
    assert "2-4-4-1 (2-4-4-3 for spiral, 3 classes; 64-4-4-10 for digits)" in report
    assert "a softmax over the 3 classes" in report and "- epochs: 20; 200 for digits" in report
    assert sorted(p.name for p in folder.iterdir()) == ["boundaries.png", "report.md", "runs.json", "table.png"]
    out = capsys.readouterr().out
    assert all(d in out for d in DATASETS)


def test_check_trains_matrix_net_in_exact_mode_and_finds_it_bitwise_equal(tmp_path, capsys):
    status, folder = run_experiment(tmp_path, "activation", "--values", "tanh", "relu", "--seeds", "2",
                                "--epochs", "40", "--check")
    assert status == 0
    runs = runs_of(folder)["runs"]
    assert all(r["check_max_abs_param_diff"] == 0.0 and r["check_curves_bitwise_equal"] for r in runs)
    assert "bitwise identical" in (folder / "report.md").read_text()


def test_user_options_fix_the_rest_and_beat_a_settings_step_size(tmp_path, capsys):
    status, folder = run_experiment(tmp_path, "optimizer", "--values", "sgd", "adam", "--lr", "0.05",
                                "--dataset", "linear", "--samples", "12", "--hidden", "3",
                                "--weight-decay", "0.001", "--seeds", "1", "--epochs", "10")
    assert status == 0
    for setting in runs_of(folder)["settings"]:
        c = setting["config"]
        assert (c["lr"], c["dataset"], c["samples"], c["hidden"], c["weight_decay"]) == (
            0.05, "linear", 12, [3], 0.001)


def test_the_optimizer_experiment_runs_momentum_in_either_form_and_loss_takes_half_mse(tmp_path, capsys):
    status, folder = run_experiment(tmp_path, "optimizer", "--values", "momentum", "momentum-average",
                                    "--seeds", "1", "--epochs", "10")
    assert status == 0
    configs = [setting["config"] for setting in runs_of(folder)["settings"]]
    assert [(c["optimizer"], c["momentum_form"], c["lr"]) for c in configs] == [
        ("momentum", "classic", STEP_SIZE["momentum"]), ("momentum", "average", STEP_SIZE["sgd"])]
    status, folder = run_experiment(tmp_path, "loss", "--values", "mse", "half-mse", "--seeds", "1",
                                    "--epochs", "10", "--optimizer", "momentum", "--momentum-form", "average",
                                    out="loss")
    assert status == 0
    assert [(c["config"]["loss"], c["config"]["momentum_form"]) for c in runs_of(folder)["settings"]] == [
        ("mse", "average"), ("half-mse", "average")]


BAD = [
    (["optimizer", "--momentum-form", "average"], "--momentum-form"),
    (["frobnicate"], "unknown experiment"),
    (["hidden", "--values", "0"], "at least 1"),
    (["lr", "--values", "-0.1"], "positive"),
    (["lr", "--values", "fast"], "number"),
    (["lr", "--values", "1", "1"], "repeat"),
    (["batch", "--values", "50"], "larger than"),
    (["activation", "--values", "softmax"], "softmax"),
    (["lr", "--seeds", "0"], "--seeds"),
    (["lr", "--lr", "0.1"], "--lr"),
    (["table", "--dataset", "xor"], "--dataset"),
    (["lr", "--jobs", "0"], "--jobs"),
    (["hidden", "--values", "8,x"], "whole number"),
    (["hidden", "--values", "8,0"], "at least 1"),
    (["hidden", "--values", "8", "8,8"], "repeat"),  # the same network, typed twice
    (["lr", "--dataset", "spiral", "--classes", "3", "--loss", "mse"], "--loss"),
    (["lr", "--loss", "cross-entropy"], "--loss"),  # two classes: one sigmoid output
    (["loss", "--dataset", "gaussian", "--classes", "4"], "cross-entropy"),  # K classes have one loss
    (["lr", "--dataset", "xor", "--classes", "3"], "--classes"),
    (["lr", "--dataset", "digits", "--samples", "50"], "--samples"),
    (["table", "--classes", "3"], "--classes"),
    (["table", "--loss", "cross-entropy"], "--loss"),  # the table's loss is its two-class sets'
]


@pytest.mark.parametrize("args, named", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_is_one_line_exit_2_and_writes_nothing(args, named, tmp_path, capsys):
    status = main(["experiment", *args, "--out", str(tmp_path / "report")])
    out, err = capsys.readouterr()
    assert status == 2 and out == ""
    assert len(err.splitlines()) == 1 and named in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_out_is_bad_input_and_writes_nothing(tmp_path, capsys):
    (tmp_path / "a_file").write_text("x")
    status = main(["experiment", "lr", "--out", str(tmp_path / "a_file" / "report")])
    assert status == 2 and "a_file" in capsys.readouterr().err
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "mine.txt").write_text("keep")
    assert main(["experiment", "lr", "--out", str(tmp_path / "notes")]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file", "notes"]
    assert [p.name for p in (tmp_path / "notes").iterdir()] == ["mine.txt"]


def test_a_failure_while_writing_leaves_the_previous_report_whole(tmp_path, capsys, monkeypatch):
    args = ("init", "--values", "normal", "--seeds", "1", "--epochs", "5")
    assert run_experiment(tmp_path, *args)[0] == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "report").iterdir()}
    from backprop_lab.commands.experiment import report as experiment_report

    def broken(*a, **k):
        raise OSError(28, "No space left on device", str(tmp_path / "report" / "report.md"))

    monkeypatch.setattr(experiment_report, "markdown", broken)
    capsys.readouterr()
    assert run_experiment(tmp_path, *args)[0] == 1  # a write that fails: one line, exit 1
    last = capsys.readouterr().err.strip().splitlines()[-1]  # after the progress bar's lines
    assert last.startswith("backprop-lab: error:") and "No space left" in last
    assert {p.name: p.read_bytes() for p in (tmp_path / "report").iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["report"]  # no temporary folder left


def run(loss, accuracy, diverged_at=None):
    return RunResult(np.array(loss, dtype=float), np.array(accuracy, dtype=float), len(loss), diverged_at)


def test_statistics_count_divergence_and_first_perfect_epochs():
    runs = [run([0.3, 0.2, 0.1], [0.5, 1.0, 1.0]), run([0.3, 0.25, 0.2], [0.5, 0.5, 0.75]),
            run([0.3, np.nan], [0.5, 0.5], diverged_at=2)]
    s = statistics.summarise(runs)
    assert (s.runs, s.reached_100, s.epoch_100_median, s.diverged, s.diverged_epochs) == (3, 1, 2.0, 1, [2])
    assert (s.loss_median, s.loss_min, s.loss_max) == (0.2, 0.1, np.inf)
    assert (s.accuracy_median, s.accuracy_min, s.accuracy_max) == (0.75, 0.5, 1.0)
    table = statistics.curves(runs, 3, "loss")
    assert np.isinf(table[2, 1:]).all()  # a diverged run stays in the curves as +inf
    median, low, high = statistics.band(table)
    assert median.tolist() == [0.3, 0.25, 0.2] and high[1] == np.inf and low.tolist() == [0.3, 0.2, 0.1]


def test_the_learning_curves_figure_has_a_line_and_band_per_setting_and_marks_divergence():
    from backprop_lab.figures.seed_curves import learning_curves

    runs = [run([0.3, 0.2, 0.1], [0.5, 1.0, 1.0]), run([0.3, np.nan], [0.5, 0.5], diverged_at=2)]
    settings = [{"label": label, "runs": 1, "diverged_epochs": [r.diverged_at] if r.diverged_at else [],
                 "loss": statistics.band(statistics.curves([r], 3, "loss")),
                 "accuracy": statistics.band(statistics.curves([r], 3, "accuracy"))}
                for label, r in (("calm", runs[0]), ("wild", runs[1]))]
    fig = learning_curves(settings, title="T", legend_title="setting", ordered=True)
    loss_ax, acc_ax = fig.axes[:2]
    assert loss_ax.get_yscale() == "log"
    assert loss_ax.get_xscale() == "log" and loss_ax.get_xlabel().startswith("epoch") and "loss" in loss_ax.get_ylabel() and "%" in acc_ax.get_ylabel()
    assert len(loss_ax.collections) == 2 and len(acc_ax.collections) == 2  # one band per setting
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels == ["calm", "wild  (1 of 1 diverged)"]
    markers = [line for line in loss_ax.lines if line.get_marker() == "x"]
    assert len(markers) == 1 and list(markers[0].get_xdata()) == [2]
    assert "diverged" in loss_ax.get_title()
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_held_out_points_are_trained_without_and_scored_as_compare_holds_them_out(tmp_path, capsys):
    from backprop_lab.config import held_out
    from backprop_lab.conventions import DECISION_THRESHOLD

    status, folder = run_experiment(tmp_path, "activation", "--values", "tanh", "--dataset", "circle",
                                    "--test-fraction", "0.25", "--seeds", "2", "--epochs", "40")
    assert status == 0
    doc = runs_of(folder)
    config_fields = doc["settings"][0]["config"]
    assert config_fields["test_fraction"] == 0.25
    for run in doc["runs"]:
        config = Config(**{**config_fields, "hidden": tuple(config_fields["hidden"]), "seed": run["seed"]})
        X_all, Y_all, params = prepare(config)
        X, Y, X_test, Y_test = held_out(config, X_all, Y_all)
        assert len(X) == 75 and len(X_test) == 25
        result = scalar_net.train(params, X, Y, epochs=config.epochs, **config.trainer_options())
        assert run["final_loss"] == result.loss[-1]
        y_hat = scalar_net.predict(result.params, X_test, activation="tanh")
        assert run["test_accuracy"] == np.mean((y_hat > DECISION_THRESHOLD) == (Y_test > DECISION_THRESHOLD))
    assert "held-out accuracy" in (folder / "report.md").read_text()


def test_experiment_offers_no_csv_file_and_refuses_one_with_one_line(tmp_path, capsys):
    (tmp_path / "points.csv").write_text("0,0,0\n1,1,1\n0,1,1\n")
    status = main(["experiment", "lr", "--data", str(tmp_path / "points.csv"), "--out", str(tmp_path / "r")])
    assert status == 2 and "--data" in capsys.readouterr().err and not (tmp_path / "r").exists()


def test_a_hidden_value_can_give_each_layer_its_own_width(tmp_path, capsys):
    """``8,4`` (one word on the command line) or ``"8 4"`` is 2-8-4-1; ``2`` is still 2-2-2-1."""
    status, folder = run_experiment(tmp_path, "hidden", "--values", "8,4", "4 4", "2", "--seeds", "2",
                                    "--epochs", "40")
    assert status == 0
    doc = runs_of(folder)
    assert doc["values"] == ["8,4", "4 4", "2"]
    assert [s["config"]["hidden"] for s in doc["settings"]] == [[8, 4], [4, 4], [2, 2]]
    configs = {s["value"]: s["config"] for s in doc["settings"]}
    for run in doc["runs"]:
        assert run["final_loss"] == direct(configs[run["value"]], run["seed"]).loss[-1]
    report = (folder / "report.md").read_text()
    table = [line.split(" | ")[0] for line in report.splitlines() if line.startswith("| 2-")]
    assert table == ["| 2-8-4-1", "| 2-4-4-1", "| 2-2-2-1"]
    assert "| network |" in report
    out = capsys.readouterr().out
    assert [line.split()[0] for line in out.splitlines() if line.startswith("2-")] == ["2-8-4-1", "2-4-4-1", "2-2-2-1"]


ROOT = Path(__file__).resolve().parent.parent


def link_targets(report):
    """The relative link targets of a report (figures, runs.json, derivations)."""
    return [t for t in re.findall(r"\]\(([^)#\s]+)", report) if not re.match(r"^[a-z]+:", t)]


@pytest.mark.parametrize("name, value", [("loss", "mse"), ("activation", "identity"), ("decay", "0")])
def test_the_reports_links_resolve_from_an_out_folder_anywhere(name, value, tmp_path, capsys):
    status, folder = run_experiment(tmp_path, name, "--values", value, "--seeds", "1", "--epochs", "5",
                                    out="deep/er/out")
    assert status == 0
    targets = link_targets((folder / "report.md").read_text())
    assert any("derivations/generated/" in t for t in targets) and "runs.json" in targets
    for target in targets:
        assert (folder / target).resolve().is_file(), target


def test_a_report_inside_a_checkout_links_into_its_derivations_and_elsewhere_into_the_packages(tmp_path):
    text = "see [07_losses.md](derivations/generated/07_losses.md#mse) and [runs.json](runs.json)"
    committed = links.relative_links(text, ROOT / "docs" / "experiments" / "loss")
    assert committed == ("see [07_losses.md](../../../derivations/generated/07_losses.md#mse) "
                         "and [runs.json](runs.json)")  # as the committed reports link
    (tmp_path / "clone" / "derivations" / "generated").mkdir(parents=True)
    (tmp_path / "clone" / "derivations" / "generated" / "07_losses.md").write_text("#")
    inside = links.relative_links(text, tmp_path / "clone" / "results" / "loss")
    assert "](../../derivations/generated/07_losses.md#mse)" in inside
    elsewhere = tmp_path / "far" / "away"
    target = re.search(r"\]\(([^)#]+)#mse", links.relative_links(text, elsewhere))[1]
    assert (elsewhere / target).resolve() == (links.package_derivations() / "07_losses.md").resolve()


@pytest.mark.parametrize("name", sorted(p.parent.name for p in (ROOT / "docs" / "experiments").glob("*/report.md")))
def test_the_committed_reports_links_resolve_where_they_are(name):
    folder = ROOT / "docs" / "experiments" / name
    for target in link_targets((folder / "report.md").read_text(encoding="utf-8")):
        assert (folder / target).resolve().is_file(), target


def _texts_overlap(fig):
    """Pairs of the boundary grid's texts (title, legend, panel titles, axis and tick labels)
    whose boxes overlap after drawing, and texts that stick out of the figure."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig).draw()
    renderer = fig.canvas.get_renderer()
    boxes = [("title", fig._suptitle.get_window_extent(renderer)), ("legend", fig.legends[0].get_window_extent(renderer))]
    for k, ax in enumerate(a for a in fig.axes if not hasattr(a, "_colorbar")):
        boxes.append((f"panel {k} title", ax.title.get_window_extent(renderer)))
        boxes.append((f"panel {k} with its ticks and labels", ax.get_tightbbox(renderer, bbox_extra_artists=[])))
    bar = [a for a in fig.axes if hasattr(a, "_colorbar")]
    if bar:
        boxes.append(("colour bar", bar[0].get_tightbbox(renderer)))
    clashes = []
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1:]:
            both = (a.startswith("panel") and b.startswith("panel") and a.split()[1] == b.split()[1])
            if not both and box_a.overlaps(box_b):
                clashes.append((a, b))
    outside = [name for name, box in boxes if box.x0 < 0 or box.y0 < 0 or box.x1 > fig.bbox.width or box.y1 > fig.bbox.height]
    return clashes, outside


LONG_TITLE = ("Decision boundary of seed 1 in each setting, on xor (21 points): the same seed (same data, "
              "same initial weights) in every panel")


@pytest.mark.parametrize("shape", [(3,), (1,), (6,), (5, 4)], ids=["3 panels", "1 panel", "6 panels", "two rows"])
def test_the_boundary_grid_keeps_its_title_legend_and_panel_texts_apart(shape):
    """As in optimizer/boundaries.png (three panels under a two-line title), and other shapes."""
    from backprop_lab.figures.boundary import Plane
    from backprop_lab.figures.boundary_grid import boundary_grid

    X, Y = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]]), np.array([[0.0], [0.0], [1.0], [1.0]])
    plane = Plane.around(X, resolution=10)
    image = plane.image(plane.points[:, :1])
    rows = [[{"X": X, "Y": Y, "plane": plane, "image": image if k else None,
              "title": f"momentum (lr 0.1)\n100% after 5000 epochs"} for k in range(n)] for n in shape]
    fig = boundary_grid(rows, title=LONG_TITLE)
    if shape == (3,):
        assert fig._suptitle.get_text().count("\n") == 1  # the case of the issue: a two-line title
    assert _texts_overlap(fig) == ([], [])


def test_the_boundary_grid_of_every_data_set_keeps_its_row_labels_apart():
    from backprop_lab.data import DATASETS
    from backprop_lab.figures.boundary import Plane
    from backprop_lab.figures.boundary_grid import boundary_grid

    rows = []
    for dataset in DATASETS:
        X, Y, _ = prepare(Config(dataset=dataset))
        plane = Plane.around(X, resolution=10)
        rows.append([{"X": X, "Y": Y, "plane": plane, "image": plane.image(plane.points[:, :1]),
                      "title": f"leaky-relu\n100% after 2000 epochs"} for _ in range(2)])
    fig = boundary_grid(rows, title=LONG_TITLE, row_labels=list(DATASETS))
    assert _texts_overlap(fig) == ([], [])


def test_k_classes_train_softmax_nets_with_cross_entropy_and_score_by_argmax(tmp_path, capsys):
    from backprop_lab.classes import accuracy
    from backprop_lab.config import held_out

    status, folder = run_experiment(tmp_path, "activation", "--values", "tanh", "relu", "--dataset", "spiral",
                                    "--classes", "3", "--test-fraction", "0.25", "--seeds", "2", "--epochs", "30")
    assert status == 0
    doc = runs_of(folder)
    configs = {s["value"]: s["config"] for s in doc["settings"]}
    assert all((c["classes"], c["inputs"], c["loss"]) == (3, 2, "cross-entropy") for c in configs.values())
    for run in doc["runs"]:
        config = Config(**{**configs[run["value"]], "hidden": (4, 4), "seed": run["seed"]})
        X, Y, X_test, Y_test = held_out(config, *prepare(config)[:2])
        result = scalar_net.train(prepare(config)[2], X, Y, epochs=30, **config.trainer_options())
        assert config.sizes == (2, 4, 4, 3) and run["final_loss"] == result.loss[-1]
        y_hat = scalar_net.predict(result.params, X_test, activation=config.activation)
        assert y_hat.shape == (25, 3) and run["test_accuracy"] == accuracy(y_hat, Y_test)  # the argmax
    report = (folder / "report.md").read_text()
    assert "network: 2-4-4-3" in report and "always a softmax over the 3 classes" in report
    assert "sigmoid" not in report.split("## Results")[0]  # tanh and relu hidden units, a softmax output
    assert "spiral, 3 classes (100 points)" in report and "largest of its softmax outputs" in report
    assert sorted(p.name for p in folder.iterdir()) == ["boundaries.png", "curves.png", "report.md", "runs.json"]


def test_the_digits_take_their_64_inputs_and_10_classes_and_draw_no_plane(tmp_path, capsys):
    status, folder = run_experiment(tmp_path, "lr", "--values", "1", "--dataset", "digits", "--seeds", "1",
                                    "--epochs", "2")
    assert status == 0
    config = runs_of(folder)["settings"][0]["config"]
    assert (config["inputs"], config["classes"], config["loss"]) == (64, 10, "cross-entropy")
    report = (folder / "report.md").read_text()
    assert "network: 64-4-4-10" in report and "None drawn: the digits have 64 inputs" in report
    assert "boundaries.png" not in report
    assert sorted(p.name for p in folder.iterdir()) == ["curves.png", "report.md", "runs.json"]


def test_the_hidden_experiment_names_networks_by_the_datas_widths(tmp_path, capsys):
    status, folder = run_experiment(tmp_path, "hidden", "--values", "3", "--dataset", "gaussian", "--classes", "4",
                                    "--seeds", "1", "--epochs", "5")
    assert status == 0
    assert "| 2-3-3-4 |" in (folder / "report.md").read_text()
