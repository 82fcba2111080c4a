"""``backprop-lab compare`` as a user runs it: output, files, bad input, divergence, determinism;
and the --help of every command."""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from backprop_lab import options
from backprop_lab.commands import cli
from backprop_lab.commands.cli import main
from backprop_lab.data.recipes import STEP_SIZE

ROOT = Path(__file__).resolve().parent.parent

QUICK = ["compare", "--epochs", "300", "--report-every", "100"]


def run_cli(*args):
    """The installed console script, as a user runs it: (exit status, stdout, stderr)."""
    done = subprocess.run(["backprop-lab", *args], capture_output=True, text=True, timeout=300)
    return done.returncode, done.stdout, done.stderr


BAD_INPUT = [
    (["--dataset", "nosuch"], "--dataset"),
    (["--lr", "0"], "--lr"),
    (["--lr", "-0.5"], "--lr"),
    (["--lr", "nan"], "--lr"),
    (["--lr", "inf"], "--lr"),
    (["--lr", "fast"], "--lr"),
    (["--epochs", "0"], "--epochs"),
    (["--epochs", "1.5"], "--epochs"),
    (["--hidden", "4", "0"], "--hidden"),
    (["--hidden"], "--hidden"),
    (["--batch-size", "0"], "--batch-size"),
    (["--batch-size", "22"], "--batch-size"),
    (["--dataset", "linear", "--samples", "10", "--batch-size", "11"], "--batch-size"),
    (["--samples", "0"], "--samples"),
    (["--seed", "-1"], "--seed"),
    (["--activation", "softmax"], "--activation"),
    (["--loss", "hinge"], "--loss"),
    (["--optimizer", "rmsprop"], "--optimizer"),
    (["--init", "zeros"], "--init"),
    (["--momentum", "1"], "--momentum"),
    (["--beta2", "-0.1"], "--beta2"),
    (["--weight-decay", "-0.1"], "--weight-decay"),
    (["--weight-decay", "nan"], "--weight-decay"),
    (["--stop-at-accuracy", "0"], "--stop-at-accuracy"),
    (["--stop-at-accuracy", "1.5"], "--stop-at-accuracy"),
    (["--json", "{missing}/run.json"], "run.json"),
    (["--plot", "{missing}/run.png"], "run.png"),
    (["--json", "{folder}"], "folder"),
    (["--frobnicate"], "--frobnicate"),
    # K classes: a loss that does not fit the output, classes a set does not have, pictures of the plane
    (["--dataset", "spiral", "--classes", "3", "--loss", "mse"], "--loss"),
    (["--dataset", "gaussian", "--classes", "4", "--loss", "bce"], "--loss"),
    (["--loss", "cross-entropy"], "--loss"),
    (["--dataset", "circle", "--classes", "3"], "--classes"),
    (["--dataset", "digits", "--classes", "3"], "--classes"),
    (["--dataset", "spiral", "--classes", "11"], "--classes"),
    (["--dataset", "spiral", "--classes", "1"], "--classes"),
    (["--dataset", "digits", "--noise", "0.1"], "--noise"),
    (["--dataset", "digits", "--samples", "100"], "--samples"),
    (["--dataset", "spiral", "--classes", "3", "--animate", "{folder}/run.gif"], "--animate"),
]


@pytest.mark.parametrize("args, named", BAD_INPUT, ids=[" ".join(a) for a, _ in BAD_INPUT])
def test_bad_input_gets_one_line_naming_it_and_exit_status_2(args, named, tmp_path, capsys):
    args = [a.format(missing=tmp_path / "missing", folder=tmp_path) for a in args]
    assert main(["compare", *args]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1 and named.split("/")[-1] in err and "Traceback" not in err
    assert not any(p.name != "missing" for p in tmp_path.iterdir())  # nothing written


def test_compare_trains_k_classes_on_the_plane_and_draws_their_regions(tmp_path, capsys):
    plot = tmp_path / "s.png"
    assert main(["compare", "--dataset", "spiral", "--classes", "3", "--epochs", "40", "--report-every", "20",
                 "--print-samples", "2", "--plot", str(plot)]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].startswith("spiral (200 points), network 2-8-8-3 with bias, sigmoid hidden / softmax over 3 "
                               "classes output, cross-entropy loss, adam")
    assert "scalar_net class (p)" in out and out.count("\n") < 20 and err == ""
    assert "wrote " + ", ".join(str(tmp_path / f) for f in ("s.png", "s-neurons.png", "s-curve.png")) in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s-curve.png", "s-gradients.png", "s-neurons.png", "s.png"]


def test_compare_draws_the_digits_confusion_weights_and_images(tmp_path, monkeypatch):
    drawn = {}
    for name in ("confusion_figure", "weight_images_figure", "examples_figure"):
        def spy(*args, _name=name, _real=getattr(__import__("backprop_lab.figures.digits", fromlist=[name]), name),
                **kwargs):
            drawn[_name] = (args, kwargs)
            return _real(*args, **kwargs)
        monkeypatch.setattr(f"backprop_lab.figures.digits.{name}", spy)
    assert main(["compare", "--dataset", "digits", "--hidden", "8", "--test-fraction", "0.2", "--epochs", "2",
                 "--report-every", "2", "--print-samples", "0", "--plot", str(tmp_path / "d.png")]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d-curve.png", "d-examples.png", "d-gradients.png",
                                                         "d-weights.png", "d.png"]
    labels, predicted = drawn["confusion_figure"][0]
    assert len(labels) == len(predicted) == 359 and drawn["confusion_figure"][1]["classes"] == 10  # held out
    assert drawn["weight_images_figure"][0][0].shape == (64, 8)
    assert drawn["examples_figure"][1]["which"] == "held-out" and len(drawn["examples_figure"][0][0]) == 359


def test_compare_on_more_features_than_the_plane_draws_the_curves_and_says_why(tmp_path, capsys):
    rows = [f"{i % 3},{i % 5},{i % 7},{i % 2}" for i in range(30)]
    (tmp_path / "four.csv").write_text("\n".join(rows) + "\n")
    assert main(["compare", "--data", str(tmp_path / "four.csv"), "--epochs", "4", "--report-every", "4",
                 "--print-samples", "0", "--plot", str(tmp_path / "f.png")]) == 0
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "learning curve and the gradient norms only" in err and "3 features" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f-curve.png", "f-gradients.png", "four.csv"]


def test_compare_takes_the_digits_input_width_and_classes_and_scores_held_out_digits(capsys):
    assert main(["compare", "--dataset", "digits", "--test-fraction", "0.2", "--epochs", "3", "--report-every", "3",
                 "--print-samples", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("digits (1797 points, 359 held out for testing), network 64-64-10 with bias, sigmoid "
                          "hidden / softmax over 10 classes output, cross-entropy loss, adam, lr 0.01")
    assert "test accuracy on 359 held-out points: scalar_net" in out


@pytest.mark.parametrize("args", [[], ["frobnicate"]])
def test_a_missing_or_unknown_command_is_bad_input_too(args, capsys):
    assert main(args) == 2
    assert len(capsys.readouterr().err.splitlines()) == 1


def test_the_console_script_reports_bad_input_without_a_traceback():
    status, out, err = run_cli("compare", "--lr", "-1")
    assert status == 2 and out == "" and err.count("\n") == 1 and "Traceback" not in err


def test_a_diverging_run_stops_and_says_at_which_epoch(tmp_path):
    out_json = tmp_path / "run.json"
    status, out, err = run_cli("compare", "--activation", "identity", "--lr", "1e300", "--epochs", "50",
                               "--json", str(out_json))
    assert status == 1
    assert len(err.splitlines()) == 1 and "diverged" in err and "at epoch 2" in err
    assert list(tmp_path.iterdir()) == [out_json]  # the run's record (tests/test_hostile_input.py checks it)
    assert json.loads(out_json.read_text(), parse_constant=pytest.fail)["diverged"]["epoch"] == 2


def section(out, heading):
    """The rows of the table under the line that starts with ``heading``, up to a blank line."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split()[:1] == [heading]) + 1
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    return [line.split() for line in lines[start:end]]


@pytest.mark.exactness
def test_compare_prints_both_trainers_side_by_side_and_the_labs_per_sample_lines(capsys):
    assert main([*QUICK, "--exact"]) == 0
    out = capsys.readouterr().out
    checkpoints = section(out, "epoch")
    assert [int(row[0]) for row in checkpoints] == [100, 200, 300]
    for epoch, s_loss, s_acc, m_loss, m_acc, diff in checkpoints:
        assert s_loss == m_loss and s_acc == m_acc and float(diff) == 0.0
    assert "final weights: bitwise identical after 300 epochs" in out
    assert "time per epoch: scalar_net" in out and "compile time" in out
    samples = section(out, "sample")
    assert [int(row[0]) for row in samples[:21]] == list(range(1, 22))
    for number, x0, x1, truth, y_scalar, y_matrix in samples[:21]:
        assert truth in ("0", "1") and y_scalar == y_matrix and 0 <= float(y_scalar) <= 1
    assert samples[21][0] == "accuracy:"


def test_json_records_the_config_both_trainers_and_their_agreement(tmp_path, capsys):
    path = tmp_path / "run.json"
    assert main([*QUICK, "--dataset", "linear", "--samples", "30", "--batch-size", "7", "--no-bias",
                 "--activation", "tanh", "--loss", "bce", "--optimizer", "adam", "--init", "xavier",
                 "--lr", "0.05", "--json", str(path)]) == 0
    doc = json.loads(path.read_text())
    config = doc["config"]
    assert {k: config[k] for k in ("dataset", "lr", "epochs", "batch_size", "seed", "bias", "exact",
                                   "activation", "loss", "optimizer", "init")} == dict(
        dataset="linear", lr=0.05, epochs=300, batch_size=7, seed=1, bias=False, exact=False,
        activation="tanh", loss="bce", optimizer="adam", init="xavier")
    assert config["sizes"] == [2, 4, 4, 1]
    assert [np.shape(p) for p in doc["initial_params"]] == [(2, 4), (4, 4), (4, 1)]
    for name in ("scalar", "matrix"):
        side = doc["trainers"][name]
        assert len(side["loss"]) == len(side["accuracy"]) == 300
        assert side["seconds_per_epoch"] > 0 and side["compile_seconds"] >= 0
        assert [np.shape(p) for p in side["params"]] == [(2, 4), (4, 4), (4, 1)]
    diffs = [np.max(np.abs(np.subtract(a, b)))
             for a, b in zip(doc["trainers"]["scalar"]["params"], doc["trainers"]["matrix"]["params"])]
    assert doc["max_abs_param_diff"] == max(diffs) < 1e-12
    assert doc["bitwise_identical"] == (max(diffs) == 0.0)


def test_stop_at_accuracy_stops_both_trainers_and_weight_decay_is_recorded(tmp_path, capsys):
    path = tmp_path / "run.json"
    assert main(["compare", "--epochs", "3000", "--report-every", "1000", "--lr", "3", "--exact",
                 "--stop-at-accuracy", "1", "--weight-decay", "1e-4", "--json", str(path)]) == 0
    out = capsys.readouterr().out
    doc = json.loads(path.read_text())
    assert doc["config"]["weight_decay"] == 1e-4 and doc["config"]["stop_at_accuracy"] == 1.0
    scalar, matrix = doc["trainers"]["scalar"], doc["trainers"]["matrix"]
    epochs = len(scalar["accuracy"])
    assert epochs == len(matrix["accuracy"]) < 3000
    assert scalar["accuracy"][-1] == 1.0 and max(scalar["accuracy"][:-1]) < 1.0
    assert f"stopped after epoch {epochs}" in out and doc["bitwise_identical"]
    checkpoints = section(out, "epoch")
    assert int(checkpoints[-1][0]) == epochs


def test_the_same_command_gives_the_same_numbers(tmp_path):
    docs = []
    for k in range(2):
        path = tmp_path / f"run{k}.json"
        assert run_cli(*QUICK, "--dataset", "linear", "--seed", "7", "--json", str(path))[0] == 0
        docs.append(json.loads(path.read_text()))
    for doc in docs:  # timings are the only thing allowed to differ
        for side in doc["trainers"].values():
            side.pop("seconds_per_epoch"), side.pop("compile_seconds")
    assert docs[0] == docs[1]


def test_another_seed_gives_other_data_and_other_initial_weights(tmp_path):
    docs = []
    for seed in (1, 2):
        path = tmp_path / f"seed{seed}.json"
        assert main(["compare", "--epochs", "1", "--report-every", "1", "--dataset", "linear", "--seed", str(seed),
                     "--json", str(path)]) == 0
        docs.append(json.loads(path.read_text()))
    assert docs[0]["initial_params"] != docs[1]["initial_params"]
    assert docs[0]["trainers"]["scalar"]["loss"] != docs[1]["trainers"]["scalar"]["loss"]


#: How each format's file begins.
MAGIC = {"png": (b"\x89PNG\r\n\x1a\n",), "pdf": (b"%PDF",), "svg": (b"<?xml", b"<svg"), "jpg": (b"\xff\xd8",)}


@pytest.mark.parametrize("extension", sorted(MAGIC))
def test_plot_writes_the_format_its_name_asks_for(extension, tmp_path, capsys):
    path = tmp_path / f"run.{extension}"
    assert main([*QUICK, "--plot", str(path)]) == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(f"run{part}.{extension}" for part in ("", "-neurons", "-lab", "-curve", "-gradients"))  # no temporary
    for name in written:
        assert (tmp_path / name).read_bytes().startswith(MAGIC[extension]), name


def test_compare_trains_with_half_mse_loss_and_averaged_momentum_and_records_them(tmp_path, capsys):
    path = tmp_path / "run.json"
    assert main([*QUICK, "--loss", "half-mse", "--optimizer", "momentum", "--momentum-form", "average",
                 "--lr", "1", "--exact", "--json", str(path)]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert ", half-mse loss, momentum (averaged: v ← βv + (1 − β)g), lr 1, " in captured.out.splitlines()[0]
    assert "final weights: bitwise identical after 300 epochs" in captured.out
    doc = json.loads(path.read_text())
    assert {k: doc["config"][k] for k in ("loss", "optimizer", "momentum_form")} == dict(
        loss="half-mse", optimizer="momentum", momentum_form="average")
    # the same run as the trainer's own, with the options the command line named
    import scalar_net
    from backprop_lab.config import Config, prepare

    X, Y, params = prepare(Config())
    result = scalar_net.train(params, X, Y, lr=1.0, epochs=300, loss="half-mse", optimizer="momentum",
                              momentum_form="average")
    assert doc["trainers"]["scalar"]["loss"] == list(result.loss)
    # each layer's gradient norm per epoch, the trainer's own numbers, the same in both (--exact)
    assert doc["trainers"]["scalar"]["gradient_norms"] == result.gradient_norms.tolist()
    assert doc["trainers"]["matrix"]["gradient_norms"] == doc["trainers"]["scalar"]["gradient_norms"]
    assert np.shape(doc["trainers"]["scalar"]["gradient_norms"]) == (300, 3)


def test_momentum_form_without_momentum_gets_a_note(capsys):
    assert main([*QUICK, "--momentum-form", "average", "--print-samples", "0"]) == 0
    assert capsys.readouterr().err == "backprop-lab: note: --momentum-form has no effect without --optimizer momentum\n"


def test_defaults_reach_100_percent_on_xor_and_99_on_linear(capsys):
    for dataset, needed in (("xor", 1.0), ("linear", 0.99)):
        assert main(["compare", "--dataset", dataset]) == 0
        last = capsys.readouterr().out.splitlines()[-1]
        accuracies = [float(w.rstrip("%,")) / 100 for w in last.split() if w.endswith(("%", "%,"))]
        assert len(accuracies) == 2 and min(accuracies) >= needed, last



@pytest.mark.parametrize("optimizer", options.OPTIMIZERS)
def test_without_lr_each_optimizer_takes_its_own_step_size_and_learns_xor(optimizer, capsys):
    """The XOR recipe's lr 1 is gradient descent's: Adam stalled at 71% with it.  Without --lr each
    optimizer runs at the step size that suits it (experiment's), and the header says why."""
    assert main(["compare", "--optimizer", optimizer, "--report-every", "10000", "--print-samples", "0"]) == 0
    lines = capsys.readouterr().out.splitlines()
    why = "" if optimizer == "sgd" else \
        f" (the step size for {optimizer}; the xor recipe's lr 1 is for sgd; give --lr to choose)"
    assert f", {optimizer}, lr {STEP_SIZE[optimizer]:g}{why}, full batch," in lines[0]
    assert lines[-1] == "accuracy: scalar_net 100.00%, matrix_net 100.00%"


@pytest.mark.parametrize("args, shown", [
    (["--dataset", "spiral"], ", adam, lr 0.05, "),  # the recipe's own optimizer: its own step size
    (["--dataset", "spiral", "--optimizer", "adam"], ", adam, lr 0.05, "),
    (["--dataset", "spiral", "--optimizer", "sgd"],
     ", sgd, lr 1 (the step size for sgd; the spiral recipe's lr 0.05 is for adam; give --lr to choose), "),
    (["--optimizer", "adam", "--lr", "1"], ", adam, lr 1, "),  # the user's step size, without a note
    (["--data", "docs/figures/wave.csv", "--optimizer", "momentum"],
     ", momentum, lr 0.1 (the step size for momentum; the recipe's lr 1 is for sgd; give --lr to choose), "),
    # averaged momentum steps like gradient descent: the sgd recipe's own step size
    (["--optimizer", "momentum", "--momentum-form", "average"], ", momentum (averaged: v ← βv + (1 − β)g), lr 1, "),
])
def test_the_step_size_is_the_recipes_for_its_optimizer_and_the_users_when_given(args, shown, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["compare", "--epochs", "1", "--report-every", "1", "--print-samples", "0", *args]) == 0
    assert shown in capsys.readouterr().out.splitlines()[0]


def _weights(offset):
    """A TrainerRun whose one weight is 1 + offset, after 10 epochs."""
    from backprop_lab.commands.compare.run import TrainerRun

    return TrainerRun([np.array([[1.0 + offset]])], loss=[0.1] * 10)


SMALL = " (BLAS sums in another order; --exact makes them bitwise identical)"
AMPLIFIED = (" (BLAS sums in another order, and training amplified that last-bit difference: the two nets took "
             "different paths, can end far apart and both be right; --exact removes it)")


@pytest.mark.parametrize("difference, exact, line", [
    (0.0, False, "final weights: bitwise identical after 10 epochs"),
    (2.0 ** -50, False, f"final weights: largest difference 8.882e-16{SMALL}"),
    (1e-10, False, f"final weights: largest difference 1.000e-10{SMALL}"),
    (1e-8, False, f"final weights: largest difference 1.000e-08{AMPLIFIED}"),
    (6.58, False, f"final weights: largest difference 6.580e+00{AMPLIFIED}"),  # the chessboard's 2-100-50-10-1
    (1e-8, True, "final weights: largest difference 1.000e-08"),  # exact mode has no BLAS to blame
])
def test_the_weights_line_tells_the_last_bits_from_a_difference_that_training_amplified(difference, exact, line):
    from backprop_lab.commands.compare import report
    from backprop_lab.config import Config

    assert report._weights_line(Config(exact=exact), _weights(0.0), _weights(difference)) == line


def compile_line(*args, **env):
    """The compile-time line of a one-epoch compare run in a fresh process with ``env``."""
    done = subprocess.run([sys.executable, "-m", "backprop_lab", "compare", "--epochs", "1", "--report-every", "1",
                           "--print-samples", "0", *args], capture_output=True, text=True, timeout=600,
                          env={**os.environ, **env})
    assert done.returncode == 0, done.stderr
    return next(line for line in done.stdout.splitlines() if line.startswith("compile time"))


# Whether numba compiled or loaded from its cache, or had no cache folder: tests/test_numba_cache.py,
# which starts those processes anyway.
def test_the_compile_time_says_when_nothing_is_compiled():
    assert compile_line(NUMBA_DISABLE_JIT="1") == (
        "compile time (excluded above): scalar_net none (NUMBA_DISABLE_JIT=1: plain Python, nothing compiled), "
        "matrix_net none")


def test_a_second_run_in_one_process_says_its_code_was_compiled_earlier(capsys):
    for _ in range(2):
        assert main(["compare", "--epochs", "1", "--report-every", "1", "--print-samples", "0"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("compile time")]
    assert len(lines) == 2 and lines[1].endswith(" (compiled earlier in this process), matrix_net none")


def test_the_samples_keep_their_numbers_in_the_data_set_and_print_samples_0_prints_none(capsys):
    from backprop_lab.config import Config, prepare

    X, Y, _ = prepare(Config())
    assert main([*QUICK, "--test-fraction", "0.25"]) == 0
    out = capsys.readouterr().out
    training, held_out = ([row for row in section(out, heading) if row[0].isdigit()] for heading in ("sample", "test"))
    numbers = [int(row[0]) for row in training + held_out]
    assert sorted(numbers) == list(range(1, 22)) and len(held_out) == 5  # each point once, by its number
    for row in training + held_out:  # the point printed is the data set's point of that number
        k = int(row[0])
        assert [float(row[1]), float(row[2]), int(row[3])] == [round(X[k - 1, 0], 3), round(X[k - 1, 1], 3), Y[k - 1, 0]]
    assert main([*QUICK, "--test-fraction", "0.25", "--print-samples", "0"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert not any("x0" in line or "not shown" in line for line in lines)  # no header over an empty table
    assert lines[-4].startswith("final weights: ") and lines[-3].startswith("accuracy: scalar_net ")
    assert lines[-2].startswith("test accuracy on 5 held-out points: ")

NO_SCREEN = """
import os, sys
from backprop_lab.commands.cli import main
assert main(["bench"]) == 2  # any command: a missing argument
assert "matplotlib" not in sys.modules, "imported at start-up"
print(os.environ.get("MPLBACKEND"))
"""


def test_the_command_line_chooses_a_backend_that_draws_without_a_screen_without_loading_matplotlib():
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    done = subprocess.run([sys.executable, "-c", NO_SCREEN], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0 and done.stdout == "Agg\n", done.stderr
    done = subprocess.run([sys.executable, "-c", NO_SCREEN], capture_output=True, text=True, timeout=120,
                          env={**env, "MPLBACKEND": "svg"})
    assert done.stdout == "svg\n", done.stderr  # the user's choice stands


def test_python_dash_m_runs_the_same_command():
    done = subprocess.run([sys.executable, "-m", "backprop_lab", "compare", "--epochs", "1", "--report-every", "1"],
                          capture_output=True, text=True, timeout=300, env=os.environ)
    assert done.returncode == 0 and "accuracy: scalar_net" in done.stdout


# -- --help ---------------------------------------------------------------------------------------

def command_parsers():
    """{name: parser} of every command, as the top-level parser holds them."""
    commands = next(a for a in cli.parser()._actions if isinstance(a, argparse._SubParsersAction))
    return commands.choices


def test_the_top_level_help_lists_each_command_on_one_line(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")  # a small terminal
    text = cli.parser().format_help()
    helps = {action.dest: action.help for action in next(
        a for a in cli.parser()._actions if isinstance(a, argparse._SubParsersAction))._get_subactions()}
    assert sorted(helps) == sorted(command_parsers()) == ["bench", "check", "compare", "derive", "exercise", "experiment", "trace"]
    for name, help in helps.items():
        assert any(line.split() == [name, *help.split()] for line in text.splitlines()), (name, text)
    assert "``" not in text and "{" not in text


@pytest.mark.parametrize("name", sorted(command_parsers()))
def test_every_option_of_every_command_has_a_line_of_help_and_its_default(name):
    parser = command_parsers()[name]
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        assert action.help, f"{name} {action.option_strings or action.dest}: no help"
        if action.option_strings:  # an option (a positional argument is required, it has no default)
            assert "(default: " in action.help or "(required" in action.help, (name, action.option_strings)
    text = parser.format_help()
    assert "%(" not in text and "``" not in text
    if name == "compare":  # the options that once had no help
        for option in ("--epochs", "--loss", "--optimizer", "--report-every"):
            assert option in text


def test_no_command_offers_an_option_it_refuses():
    assert "--data" not in command_parsers()["experiment"]._option_string_actions  # the generated sets only
