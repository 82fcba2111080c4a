"""Every data set's rule, count, range, determinism and noise; the recipes; the test split;
a user's CSV file, good and bad, through the command a user runs."""

import json

import numpy as np
import pytest

import matrix_net
import scalar_net
from backprop_lab.commands.cli import main
from backprop_lab.config import Config, held_out, prepare
from backprop_lab.data import CLASS_SETS, DATASETS, INFO, NAMES, DataSet, load, shapes, size
from backprop_lab.data.lab import linear_rule
from backprop_lab.data.recipes import RECIPES
from backprop_lab.data.split import held_out_count, split_indices

RULE_SETS = {"linear": linear_rule, "chessboard": shapes.chessboard_rule, "circle": shapes.circle_rule}
SHAPE_SETS = ("spiral", "moons", "gaussian")


def test_every_data_set_has_a_rule_a_range_and_a_recipe():
    assert set(DATASETS) == {"linear", "xor", "chessboard", "circle", "spiral", "moons", "gaussian"}
    assert set(RECIPES) == set(NAMES) == set(DATASETS) | {"digits"}
    for name in DATASETS:
        assert INFO[name].rule and "\n" not in INFO[name].rule and INFO[name].noise


@pytest.mark.parametrize("name", DATASETS)
@pytest.mark.parametrize("n", [1, 2, 7, 300])
def test_counts_shapes_and_size_without_generating(name, n, monkeypatch):
    X, y = load(name, seed=3, n=n)
    expected = 21 if name == "xor" else n
    assert X.shape == (expected, 2) and y.shape == (expected, 1) and X.dtype == y.dtype == np.float64
    assert set(np.unique(y)) <= {0.0, 1.0}
    def refuse(*args):
        raise AssertionError("size() generated the data")
    monkeypatch.setitem(INFO, name, DataSet(INFO[name].rule, INFO[name].bounds, INFO[name].noise, refuse))
    assert size(name, n) == expected


@pytest.mark.parametrize("name", SHAPE_SETS)
def test_shape_sets_give_class_1_half_the_points_shuffled(name):
    _, y = load(name, seed=4, n=301)
    assert int(y.sum()) == 150
    assert 0 < y[:150].sum() < 150  # not one class after the other


@pytest.mark.parametrize("name", DATASETS)
@pytest.mark.parametrize("noise", [0.0, 0.25])
def test_points_lie_in_the_documented_range(name, noise):
    lo, hi = INFO[name].bounds_with(noise)
    X, _ = load(name, seed=5, n=2000, noise=noise)
    assert np.all((lo <= X) & (X <= hi))
    if noise == 0.0 and name != "xor":  # and fill it: the range is not loose
        assert np.all(X.min(axis=0) < lo + 0.25 * (hi - lo)) or name == "moons"


@pytest.mark.parametrize("name", RULE_SETS)
def test_rule_sets_label_every_point_by_their_rule(name):
    X, y = load(name, seed=6, n=2000)
    np.testing.assert_array_equal(y[:, 0], RULE_SETS[name](X).astype(float))
    assert 0.4 < y.mean() < 0.6  # both classes, about evenly


def test_chessboard_is_a_4_by_4_board_of_alternating_squares():
    centres = (np.arange(4) + 0.5) / 4
    X = np.array([(a, b) for a in centres for b in centres])
    labels = shapes.chessboard_rule(X).reshape(4, 4).astype(int)
    assert labels.tolist() == [[0, 1, 0, 1], [1, 0, 1, 0], [0, 1, 0, 1], [1, 0, 1, 0]]


def test_circle_holds_half_the_square():
    assert np.pi * shapes.CIRCLE_RADIUS ** 2 == pytest.approx(2.0)  # the square [-1, 1]^2 has area 4


def test_spiral_points_lie_on_their_arm():
    X, y = load("spiral", seed=7, n=500)
    radius = np.hypot(X[:, 0], X[:, 1])  # the arm's parameter t
    expected = 2 * np.pi * shapes.SPIRAL_TURNS * radius + np.pi * y[:, 0]
    off = np.angle(np.exp(1j * (np.arctan2(X[:, 1], X[:, 0]) - expected)))  # wrapped to (-pi, pi]
    assert np.max(np.abs(off)) < 1e-9


def test_moons_points_lie_on_their_half_circle():
    X, y = load("moons", seed=8, n=500)
    x, v = 1.5 * X[:, 0] + 0.5, 1.5 * X[:, 1] + 0.25  # undo the centring
    upper, lower = y[:, 0] == 0, y[:, 0] == 1
    np.testing.assert_allclose(np.hypot(x[upper], v[upper]), 1.0)
    np.testing.assert_allclose(np.hypot(x[lower] - 1, v[lower] - 0.5), 1.0)
    assert np.all(v[upper] >= 0) and np.all(v[lower] <= 0.5)


def test_gaussian_blobs_sit_around_their_centres():
    X, y = load("gaussian", seed=9, n=4000)
    for label, centre in enumerate(shapes.GAUSSIAN_CENTRES):
        points = X[y[:, 0] == label]
        np.testing.assert_allclose(points.mean(axis=0), centre, atol=0.03)
        assert 0.2 < points.std(axis=0).min() and points.std(axis=0).max() < 0.27  # sd 0.25, cut at +-1


@pytest.mark.parametrize("name", DATASETS)
def test_the_same_seed_gives_the_same_points_and_another_seed_others(name):
    a, b, c = (load(name, seed=s, n=50, noise=0.1) for s in (11, 11, 12))
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])


def _distance_to_boundary(name, X):
    """How far each point is from where its rule changes (per coordinate for the chessboard)."""
    if name == "linear":
        return np.abs(X[:, 0] - X[:, 1]) / np.sqrt(2)
    if name == "chessboard":
        to_line = np.abs(4 * X - np.round(4 * X)) / 4  # to the nearest square edge, per coordinate
        return to_line.min(axis=1)
    return np.abs(np.hypot(X[:, 0], X[:, 1]) - shapes.CIRCLE_RADIUS)


@pytest.mark.parametrize("name", RULE_SETS)
def test_noise_in_rule_sets_mixes_labels_near_the_boundary_only(name):
    clean_X, clean_y = load(name, seed=13, n=3000)
    flipped = []
    for noise in (0.05, 0.2):
        X, y = load(name, seed=13, n=3000, noise=noise)
        np.testing.assert_array_equal(X, clean_X)  # the points stay where they were
        changed = y[:, 0] != clean_y[:, 0]
        assert np.all(_distance_to_boundary(name, X[changed]) <= noise * np.sqrt(2))
        flipped.append(changed.mean())
    assert 0 < flipped[0] < flipped[1]


@pytest.mark.parametrize("name", (*SHAPE_SETS, "xor"))
def test_noise_in_shape_sets_moves_points_and_keeps_labels(name):
    clean_X, clean_y = load(name, seed=14, n=400)
    X, y = load(name, seed=14, n=400, noise=0.1)
    np.testing.assert_array_equal(y, clean_y)
    moved = np.abs(X - clean_X)
    assert moved.max() <= 0.1 and moved.mean() > 0.02


@pytest.mark.parametrize("call", [lambda: load("circle", noise=-0.1), lambda: load("circle", noise=1.5),
                                  lambda: load("circle", noise=float("nan")), lambda: load("spiral", n=0),
                                  lambda: size("nosuch")])
def test_bad_requests_are_refused(call):
    with pytest.raises(ValueError):
        call()


@pytest.mark.parametrize("name", CLASS_SETS)
@pytest.mark.parametrize("classes, n", [(3, 300), (5, 302)])
def test_k_classes_give_labels_0_to_k_minus_1_in_shares_as_equal_as_they_go_shuffled(name, classes, n):
    X, y = load(name, seed=4, n=n, classes=classes)
    assert X.shape == (n, 2) and y.shape == (n, 1)
    counts = np.bincount(y[:, 0].astype(int))
    assert len(counts) == classes and counts.max() - counts.min() <= 1 and counts.sum() == n
    assert len(set(y[: classes * 3, 0])) > 1  # not one class after the other
    assert np.all(np.abs(X) <= 1.0)


def test_k_gaussian_blobs_lie_around_their_centres_and_k_spiral_arms_turn_apart():
    X, y = load("gaussian", seed=9, n=3000, classes=3)
    centres = np.array(shapes.gaussian_centres(3))
    for label, centre in enumerate(centres):
        mean = X[y[:, 0] == label].mean(axis=0)
        # within 0.05: the cut at +-1, 1.6 sd from the blob at (0, 0.6), pulls its mean in by 0.03
        np.testing.assert_allclose(mean, centre, atol=0.05)
        assert np.argmin(np.hypot(*(centres - mean).T)) == label
    X, y = load("spiral", seed=9, n=3000, classes=3)
    radius, angle = np.hypot(X[:, 0], X[:, 1]), np.arctan2(X[:, 1], X[:, 0])
    for label in range(3):  # arm c is at angle 2 pi TURNS t + 2 pi c / 3, t the radius
        arm = y[:, 0] == label
        expected = 2 * np.pi * shapes.SPIRAL_TURNS * radius[arm] + 2 * np.pi * label / 3
        assert np.allclose(np.angle(np.exp(1j * (angle[arm] - expected))), 0.0, atol=1e-9)


def test_the_digits_are_the_uci_images_scaled_to_0_1_with_their_labels():
    X, y = load("digits")
    assert X.shape == (1797, 64) and y.shape == (1797, 1) and size("digits") == 1797
    assert X.min() == 0.0 and X.max() == 1.0 and np.all(X * 16 == np.round(X * 16))  # 0..16 over 16
    counts = np.bincount(y[:, 0].astype(int))
    assert len(counts) == 10 and counts.min() >= 170  # about 180 of each digit
    assert np.array_equal(load("digits", seed=5, n=3)[0], X)  # the file's, whatever the seed


@pytest.mark.parametrize("call, named", [
    (lambda: load("circle", classes=3), "classes"), (lambda: load("spiral", classes=11), "classes"),
    (lambda: load("spiral", classes=1), "classes"), (lambda: load("digits", classes=3), "classes"),
    (lambda: load("spiral", classes=2.5), "classes")])
def test_classes_that_do_not_fit_the_set_are_refused(call, named):
    with pytest.raises(ValueError, match=named):
        call()


# --- recipes ---------------------------------------------------------------------------------

def _recipe_config(name):
    return Config(dataset=name, seed=1, **RECIPES[name].options)


def _final_accuracy(trainer, config, **extra):
    X, Y, params = prepare(config)
    result = trainer.train(params, X, Y, epochs=config.epochs, **config.trainer_options(), **extra)
    y_hat = trainer.predict(result.params, X, activation=config.activation)
    return np.mean((y_hat > 0.5) == (Y > 0.5))


@pytest.mark.parametrize("name", [n for n in DATASETS if n not in ("xor", "linear")])  # those two: test_cli
def test_each_recipe_reaches_its_stated_accuracy_with_scalar_net(name):
    assert _final_accuracy(scalar_net, _recipe_config(name)) >= RECIPES[name].accuracy


def test_a_recipe_reaches_its_stated_accuracy_with_matrix_net_too():
    assert _final_accuracy(matrix_net, _recipe_config("moons")) >= RECIPES["moons"].accuracy


# --- the test split --------------------------------------------------------------------------

@pytest.mark.parametrize("n", [2, 7, 100, 1001])
@pytest.mark.parametrize("fraction", [0.0, 0.1, 0.25, 0.5, 0.9])
def test_the_split_is_disjoint_covers_every_point_once_and_is_seeded(n, fraction):
    if fraction and round(fraction * n) >= n:  # nothing would be left to train on
        with pytest.raises(ValueError, match="none of the"):
            split_indices(n, fraction, seed=3)
        return
    train, test = split_indices(n, fraction, seed=3)
    assert np.array_equal(np.sort(np.concatenate([train, test])), np.arange(n))
    assert len(test) == held_out_count(n, fraction) and len(train) >= 1
    assert list(train) == sorted(train) and list(test) == sorted(test)  # data set order kept
    again = split_indices(n, fraction, seed=3)
    assert np.array_equal(again[0], train) and np.array_equal(again[1], test)


def test_another_seed_holds_out_other_points():
    assert not np.array_equal(split_indices(100, 0.2, 1)[1], split_indices(100, 0.2, 2)[1])


@pytest.mark.parametrize("n, fraction", [(10, 1.0), (10, -0.1), (10, float("nan")), (1, 0.5)])
def test_impossible_splits_are_refused(n, fraction):
    with pytest.raises(ValueError):
        split_indices(n, fraction, seed=0)


def test_holding_out_changes_neither_the_data_nor_the_weights():
    X0, Y0, p0 = prepare(Config(dataset="circle", samples=80))
    X1, Y1, p1 = prepare(Config(dataset="circle", samples=80, test_fraction=0.25))
    assert np.array_equal(X0, X1) and all(np.array_equal(a, b) for a, b in zip(p0, p1))
    X, Y, X_test, Y_test = held_out(Config(test_fraction=0.25), X1, Y1)
    assert len(X_test) == 20 and len(X) == 60
    assert {tuple(p) for p in X} | {tuple(p) for p in X_test} == {tuple(p) for p in X1}


def test_compare_trains_on_the_rest_and_scores_the_held_out_points(tmp_path, capsys):
    from backprop_lab.commands.compare import run as compare

    config = Config(dataset="circle", samples=60, test_fraction=0.25, epochs=200, report_every=100, exact=True,
                    hidden=(4, 4), lr=2.0)
    run = compare.run_split(config)
    assert len(run.X) == 45 and len(run.X_test) == 15
    for side in (run.scalar, run.matrix):
        assert side.test_epochs == list(range(0, 201, 2))
    assert run.scalar.test_loss == run.matrix.test_loss  # exact mode: the same numbers
    final, _ = matrix_net.batch_gradient(run.matrix.params, run.X_test, run.Y_test, exact=True)
    assert run.matrix.test_loss[-1] == final
    assert run.checkpoints[-1].matrix_test_loss == final

    path = tmp_path / "run.json"
    assert main(["compare", "--dataset", "circle", "--samples", "60", "--test-fraction", "0.25", "--epochs", "200",
                 "--report-every", "100", "--json", str(path)]) == 0
    out = capsys.readouterr().out
    assert "15 held out for testing" in out and "test loss" in out.splitlines()[1]
    assert "test accuracy on 15 held-out points" in out
    doc = json.loads(path.read_text())
    assert doc["points"] == {"training": 45, "test": 15} and doc["config"]["test_fraction"] == 0.25
    assert len(doc["trainers"]["scalar"]["test"]["loss"]) == 101


# --- a user's CSV file -----------------------------------------------------------------------

GOOD = "x0,x1,label\n0.1,0.2,0\n0.9,0.8,1\n0.2,0.1,0\n0.8,0.9,1\n\n"

BAD_FILES = [
    ("missing", None, "no such file"),
    ("folder", None, "folder"),
    ("empty", "", "is empty"),
    ("blank lines only", "\n\n", "is empty"),
    ("header only", "x0,x1,label\n", "no data rows"),
    ("one column", "0.1\n0.3\n", "line 1: 1 column"),
    ("two columns of features only", "0.1,0.2\n0.3,0.4\n", "line 1: label 0.2 is not a class"),
    ("four columns after three", "0.1,0.2,1\n0.3,0.4,0,7\n", "line 2: 4 columns; expected 3 as in the first row"),
    ("a header of another width", "x0,x1,x2,label\n0.3,0.4,0\n", "line 2: 3 columns; expected 4"),
    ("too many columns", "0.1,0.2,0.3,1\n0.3,0.4,0.5,0\n", "4 columns, more than 3, the limit"),
    ("a word", "0.1,0.2,1\n0.3,abc,0\n", "line 2, column 2: 'abc' is not a number"),
    ("nan", "0.1,0.2,1\nnan,0.4,0\n", "line 2, column 1: nan is not a finite number"),
    ("infinity", "0.1,0.2,1\n0.3,-inf,0\n", "column 2: -inf is not a finite number"),
    ("class 0 missing", "0.1,0.2,1\n0.3,0.4,2\n", "no row has label 0"),
    ("class 1 of 0..3 missing", "0.1,0.2,0\n0.3,0.4,3\n0.5,0.5,2\n", "no row has label 1"),
    ("label 0.5", "0.1,0.2,1\n0.3,0.4,0.5\n", "line 2: label 0.5 is not a class, a whole number from 0 to"),
    ("label -1", "0.1,0.2,1\n0.3,0.4,-1\n", "label -1 is not a class"),
    ("label 100", "0.1,0.2,1\n0.3,0.4,100\n", "label 100 is not a class, a whole number from 0 to 99"),
    ("one class", "0.1,0.2,1\n0.3,0.4,1\n", "at least two classes"),
    ("too many rows", "".join(f"0.{k},0.5,{k % 2}\n" for k in range(6)), "more than 5 rows"),
    ("not text", b"\xff\xfe\x00\x81\x00,\x00", "not a text file"),
]


@pytest.mark.parametrize("case, content, named", BAD_FILES, ids=[c for c, _, _ in BAD_FILES])
def test_every_bad_csv_gets_one_line_naming_it_exit_2_and_nothing_trained(case, content, named, tmp_path,
                                                                             capsys, monkeypatch):
    from backprop_lab.data import csvfile

    monkeypatch.setattr(csvfile, "MAX_ROWS", 5)
    if case == "too many columns":
        monkeypatch.setattr(csvfile, "MAX_COLUMNS", 3)
    path = tmp_path / "points.csv"
    if case == "folder":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    plot = tmp_path / "out.png"
    assert main(["compare", "--data", str(path), "--epochs", "5", "--plot", str(plot)]) == 2
    out, err = capsys.readouterr()
    assert out == ""  # nothing trained, nothing printed
    assert len(err.splitlines()) == 1 and named in err and "Traceback" not in err
    assert not plot.exists()


def test_a_csv_of_three_features_and_three_separable_classes_trains_to_100_percent(tmp_path, capsys):
    """Three clusters in 3-D, far apart: the 3-4-4-3 net (the input width and the classes taken
    from the file) separates them in both trainers."""
    rng = np.random.default_rng(5)
    centres = np.array([[0.0, 0.0, 0.0], [1.0, 1.0, 0.0], [0.0, 1.0, 1.0]])
    labels = rng.permutation(np.repeat(np.arange(3), 20))
    points = centres[labels] + rng.uniform(-0.2, 0.2, (60, 3))
    path = tmp_path / "three.csv"
    path.write_text("a,b,c,label\n" + "".join(f"{x:.3f},{y:.3f},{z:.3f},{c}\n" for (x, y, z), c in zip(points, labels)))
    out = tmp_path / "run.json"
    assert main(["compare", "--data", str(path), "--epochs", "1000", "--report-every", "1000", "--print-samples", "0",
                 "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("three.csv (60 points), network 3-4-4-3") and "softmax over 3 classes" in printed
    assert "accuracy: scalar_net 100.00%, matrix_net 100.00%" in printed
    doc = json.loads(out.read_text())
    assert doc["config"]["loss"] == "cross-entropy" and doc["trainers"]["matrix"]["accuracy"][-1] == 1.0


def test_a_good_csv_trains_with_or_without_a_header(tmp_path, capsys):
    for text in (GOOD, GOOD.split("\n", 1)[1]):
        path = tmp_path / "mine.csv"
        path.write_text(text)
        out = tmp_path / "run.json"
        assert main(["compare", "--data", str(path), "--epochs", "20", "--report-every", "10",
                     "--json", str(out)]) == 0
        assert capsys.readouterr().out.startswith("mine.csv (4 points)")
        doc = json.loads(out.read_text())
        assert doc["config"]["data"] == str(path) and doc["config"]["dataset"] == "csv"


@pytest.mark.parametrize("extra, named", [(["--dataset", "xor"], "--data"), (["--noise", "0.1"], "--noise"),
                                          (["--samples", "9"], "--samples"), (["--test-fraction", "0.9"], "--test-fraction")])
def test_csv_options_that_cannot_apply_are_refused(extra, named, tmp_path, capsys):
    path = tmp_path / "mine.csv"
    path.write_text(GOOD)
    assert main(["compare", "--data", str(path), "--epochs", "5", *extra]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and named in err


def test_compare_takes_the_recipe_for_what_is_not_given_and_records_the_noise(tmp_path, capsys):
    path = tmp_path / "run.json"
    assert main(["compare", "--dataset", "spiral", "--noise", "0.1", "--epochs", "3", "--hidden", "5",
                 "--report-every", "3", "--print-samples", "0", "--json", str(path)]) == 0
    assert capsys.readouterr().out.startswith("spiral (200 points, noise 0.1), network 2-5-1")
    config = json.loads(path.read_text())["config"]
    recipe = RECIPES["spiral"]
    assert (config["noise"], config["epochs"], config["hidden"]) == (0.1, 3, [5])  # given
    assert (config["optimizer"], config["lr"], config["samples"]) == (recipe.optimizer, recipe.lr, recipe.samples)
