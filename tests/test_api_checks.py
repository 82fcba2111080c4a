"""Every public function of both trainers refuses a bad argument with a ValueError that names it,
before anything is packed or compiled code runs (scalar_net's compiled code has no bounds checks:
an array that does not fit would be read past its end: silent garbage, or a crash).

One list of bad calls over both trainers' public functions.  The calls run in one child process,
so that a crash (a segmentation fault, an abort) fails the tests instead of ending the suite.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

FUNCTIONS = ("train", "batch_gradient", "trace_step", "predict", "all_activations")
WITH_LABELS = ("train", "batch_gradient", "trace_step")
WITH_LOSS = WITH_LABELS


def good_arguments():
    """(params, X, Y, options) of a call every function accepts: the lab's 2-4-4-1 on 4 points."""
    from backprop_lab.network import init_params

    params = init_params((2, 4, 4, 1), seed=1)
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = np.array([[0.0], [1.0], [1.0], [0.0]])
    return params, X, Y


def _three_classes(params, X, Y, **options):
    """The good call on a 2-4-3 net of three softmax outputs, labels 0, 1, 2, 0."""
    from backprop_lab.network import init_params

    return init_params((2, 4, 3), seed=1), X, np.array([[0.0], [1.0], [2.0], [0.0]]), options


def _replace(params, k, value):
    return [value if i == k else p for i, p in enumerate(params)]


def _other_state(sizes=(2, 3, 1)):
    from backprop_lab.network import OptimizerState, init_params

    return OptimizerState.zeros_like(init_params(sizes, seed=1))


def _state(**changes):
    from dataclasses import replace

    from backprop_lab.network import OptimizerState

    params, _, _ = good_arguments()
    return replace(OptimizerState.zeros_like(params), **changes)


#: (what is wrong, the functions it applies to, the argument the message must name, the change:
#: a function of (params, X, Y) -> (params, X, Y, extra keyword arguments)).
BAD = [
    # params
    ("params not a list", FUNCTIONS, "params", lambda p, X, Y: (None, X, Y, {})),
    ("params empty", FUNCTIONS, "params", lambda p, X, Y: ([], X, Y, {})),
    ("W1 for no inputs", FUNCTIONS, "params", lambda p, X, Y: (_replace(p, 0, np.ones((0, 4))), X, Y, {})),
    ("W1 for 3 inputs, X of 2", FUNCTIONS, "X", lambda p, X, Y: (_replace(p, 0, np.ones((3, 4))), X, Y, {})),
    ("W2 that does not fit layer 1", FUNCTIONS, "params[2] (W2)",
     lambda p, X, Y: (_replace(p, 2, np.ones((5, 4))), X, Y, {})),
    ("W2 of too few columns for b2", FUNCTIONS, "params[3] (b2)",
     lambda p, X, Y: (_replace(p, 2, np.ones((4, 3))), X, Y, {})),
    ("b1 too long", FUNCTIONS, "params[1] (b1)", lambda p, X, Y: (_replace(p, 1, np.zeros(7)), X, Y, {})),
    ("a layer of no neurons", FUNCTIONS, "params",
     lambda p, X, Y: ([np.ones((2, 0)), np.zeros(0), np.ones((0, 1)), np.zeros(1)], X, Y, {})),
    ("two outputs", FUNCTIONS, "params", lambda p, X, Y: (p[:4] + [np.ones((4, 2)), np.zeros(2)], X, Y, {})),
    ("W1 of strings", FUNCTIONS, "params[0] (W1)",
     lambda p, X, Y: (_replace(p, 0, np.array([["a"] * 4] * 2)), X, Y, {})),
    ("W1 one-dimensional", FUNCTIONS, "params[0] (W1)", lambda p, X, Y: (_replace(p, 0, np.ones(8)), X, Y, {})),
    ("an odd list with biases", FUNCTIONS, "params", lambda p, X, Y: (p[:5], X, Y, {})),
    # X
    ("X of 3 columns", FUNCTIONS, "X", lambda p, X, Y: (p, np.ones((4, 3)), Y, {})),
    ("X one-dimensional", FUNCTIONS, "X", lambda p, X, Y: (p, np.ones(8), Y, {})),
    ("X empty", FUNCTIONS, "X", lambda p, X, Y: (p, np.zeros((0, 2)), Y[:0], {})),
    ("X of strings", FUNCTIONS, "X", lambda p, X, Y: (p, [["a", "b"]] * 4, Y, {})),
    ("X ragged", FUNCTIONS, "X", lambda p, X, Y: (p, [[1.0, 2.0], [1.0]], Y[:2], {})),
    ("X with NaN", FUNCTIONS, "X", lambda p, X, Y: (p, np.where(X == 1, np.nan, X), Y, {})),
    ("X complex", FUNCTIONS, "X", lambda p, X, Y: (p, X + 1j, Y, {})),
    # Y
    ("Y shorter than X", WITH_LABELS, "Y", lambda p, X, Y: (p, X, Y[:2], {})),
    ("Y of one row for two million samples", WITH_LABELS, "Y",
     lambda p, X, Y: (p, np.random.default_rng(0).random((2_000_000, 2)), np.zeros((1, 1)), {})),
    ("Y one-dimensional", WITH_LABELS, "Y", lambda p, X, Y: (p, X, Y.ravel(), {})),
    ("Y of two columns", WITH_LABELS, "Y", lambda p, X, Y: (p, X, np.hstack([Y, Y]), {})),
    ("labels of 5", WITH_LABELS, "Y", lambda p, X, Y: (p, X, Y * 5, {})),
    ("labels of -1", WITH_LABELS, "Y", lambda p, X, Y: (p, X, Y - 1, {})),
    ("labels of NaN", WITH_LABELS, "Y", lambda p, X, Y: (p, X, Y * np.nan, {})),
    ("class 3 of three", WITH_LABELS, "Y", lambda p, X, Y: _three_classes(p, X, Y)[:2] + (Y * 3, {})),
    ("class 1.5 of three", WITH_LABELS, "Y", lambda p, X, Y: _three_classes(p, X, Y)[:2] + (Y * 1.5, {})),
    ("class -1 of three", WITH_LABELS, "Y", lambda p, X, Y: _three_classes(p, X, Y)[:2] + (Y - 1, {})),
    # state
    ("a state for another network", ("train",), "state", lambda p, X, Y: (p, X, Y, {"state": _other_state()})),
    ("a state for a network of other widths", ("train",), "state.first[0]",
     lambda p, X, Y: (p, X, Y, {"state": _other_state((2, 3, 3, 1))})),
    ("a state that is not one", ("train",), "state", lambda p, X, Y: (p, X, Y, {"state": {"first": []}})),
    ("a state with Adam's power 5", ("train",), "state.power1",
     lambda p, X, Y: (p, X, Y, {"state": _state(power1=5.0)})),
    ("a state with a list too short", ("train",), "state.second",
     lambda p, X, Y: (p, X, Y, {"state": _state(second=[np.zeros((2, 4))])})),
    # options of train
    ("lr 0", ("train",), "lr", lambda p, X, Y: (p, X, Y, {"lr": 0.0})),
    ("lr NaN", ("train",), "lr", lambda p, X, Y: (p, X, Y, {"lr": float("nan")})),
    ("lr a string", ("train",), "lr", lambda p, X, Y: (p, X, Y, {"lr": "0.5"})),
    ("epochs 0", ("train",), "epochs", lambda p, X, Y: (p, X, Y, {"epochs": 0})),
    ("epochs 2.5", ("train",), "epochs", lambda p, X, Y: (p, X, Y, {"epochs": 2.5})),
    ("batch size 0", ("train",), "batch_size", lambda p, X, Y: (p, X, Y, {"batch_size": 0})),
    ("batch size beyond the data", ("train",), "batch_size", lambda p, X, Y: (p, X, Y, {"batch_size": 5})),
    ("batch size 1.5", ("train",), "batch_size", lambda p, X, Y: (p, X, Y, {"batch_size": 1.5})),
    ("momentum 5", ("train",), "momentum", lambda p, X, Y: (p, X, Y, {"optimizer": "momentum", "momentum": 5.0})),
    ("beta1 1", ("train",), "beta1", lambda p, X, Y: (p, X, Y, {"optimizer": "adam", "beta1": 1.0})),
    ("beta2 negative", ("train",), "beta2", lambda p, X, Y: (p, X, Y, {"optimizer": "adam", "beta2": -0.1})),
    ("weight decay negative", ("train",), "weight_decay", lambda p, X, Y: (p, X, Y, {"weight_decay": -1.0})),
    ("stop at accuracy 2", ("train",), "stop_at_accuracy", lambda p, X, Y: (p, X, Y, {"stop_at_accuracy": 2.0})),
    ("an unknown optimizer", ("train",), "optimizer", lambda p, X, Y: (p, X, Y, {"optimizer": "rmsprop"})),
    ("an unknown momentum form", ("train",), "momentum_form",
     lambda p, X, Y: (p, X, Y, {"optimizer": "momentum", "momentum_form": "nesterov"})),
    # options of every function
    ("an unknown activation", FUNCTIONS, "activation", lambda p, X, Y: (p, X, Y, {"activation": "softplus"})),
    ("an activation that is not a name", FUNCTIONS, "activation", lambda p, X, Y: (p, X, Y, {"activation": 0})),
    ("an unknown loss", WITH_LOSS, "loss", lambda p, X, Y: (p, X, Y, {"loss": "l1"})),
    ("a loss that is not a name", WITH_LOSS, "loss", lambda p, X, Y: (p, X, Y, {"loss": 1})),
    ("cross-entropy with one output", WITH_LOSS, "loss", lambda p, X, Y: (p, X, Y, {"loss": "cross-entropy"})),
    ("mse with three outputs", WITH_LOSS, "loss", lambda p, X, Y: _three_classes(p, X, Y, loss="mse")),
    ("bce with three outputs", WITH_LOSS, "loss", lambda p, X, Y: _three_classes(p, X, Y, loss="bce")),
    ("half-mse with three outputs", WITH_LOSS, "loss", lambda p, X, Y: _three_classes(p, X, Y, loss="half-mse")),
    ("a leaky slope of NaN", FUNCTIONS, "leaky_slope",
     lambda p, X, Y: (p, X, Y, {"activation": "leaky-relu", "leaky_slope": float("nan")})),
]

CASES = [(trainer, function, what, argument) for what, functions, argument, _ in BAD
         for trainer in ("scalar_net", "matrix_net") for function in functions]
CASES += [("matrix_net", function, "exact not a bool", "exact") for function in FUNCTIONS]


def _call(trainer, function, what):
    """Make the bad call; return what happened: ('ValueError', message), (another type, message),
    or ('returned', '')."""
    import importlib

    module = importlib.import_module(trainer)
    params, X, Y = good_arguments()
    if what == "exact not a bool":
        params, X, Y, extra = params, X, Y, {"exact": "yes"}
    else:
        change = next(change for w, _, _, change in BAD if w == what)
        params, X, Y, extra = change(params, X, Y)
    arguments = (params, X, Y) if function in WITH_LABELS else (params, X)
    if function == "train":
        extra = {"lr": 0.5, "epochs": 2, **extra}
    if function not in WITH_LOSS:
        extra.pop("loss", None)
    try:
        with np.errstate(all="ignore"):
            getattr(module, function)(*arguments, **extra)
    except Exception as error:  # noqa: BLE001 - the test reports which kind it was
        return type(error).__name__, str(error)
    return "returned", ""


def child_main():
    """In the child: every case, one JSON line each, flushed, so that a crash shows where."""
    for trainer, function, what, _ in CASES:
        print(json.dumps([trainer, function, what, *_call(trainer, function, what)]), flush=True)


@pytest.fixture(scope="module")
def outcomes():
    tests = Path(__file__).parent
    code = f"import sys; sys.path.insert(0, {str(tests)!r}); import test_api_checks; test_api_checks.child_main()"
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600,
                           env={**os.environ, "PYTHONHASHSEED": "0"})
    found = {}
    for line in child.stdout.splitlines():
        trainer, function, what, kind, message = json.loads(line)
        found[(trainer, function, what)] = (kind, message)
    return found, child.returncode, child.stderr[-2000:]


@pytest.mark.parametrize("trainer, function, what, argument", CASES,
                         ids=[f"{t}.{f}-{w.replace(' ', '-')}" for t, f, w, _ in CASES])
def test_a_bad_argument_is_a_value_error_that_names_it(outcomes, trainer, function, what, argument):
    found, status, stderr = outcomes
    assert (trainer, function, what) in found, f"the child ended (status {status}) before this call:\n{stderr}"
    kind, message = found[(trainer, function, what)]
    assert kind == "ValueError", f"{kind}: {message[:500]}"
    assert argument in message, message
    assert "\n" not in message and len(message) < 300, message  # one line a command can print


def test_the_good_call_of_every_function_passes_the_checks():
    import matrix_net
    import scalar_net

    params, X, Y = good_arguments()
    for module in (scalar_net, matrix_net):
        module.train(params, X, Y, lr=0.5, epochs=2, batch_size=np.int64(2), optimizer="momentum",
                     momentum=np.float64(0.5))
        module.batch_gradient(params, X.tolist(), Y.astype(np.int32))
        module.trace_step(params, X, Y.astype(bool))
        module.predict(params, np.asfortranarray(X))
        module.all_activations([p.tolist() for p in params], X)


def test_a_net_of_three_outputs_takes_cross_entropy_without_being_told():
    """train(params, X, Y, lr=.., epochs=..) on a K-output net: the default loss is cross-entropy,
    and predict gives each row's K probabilities."""
    import matrix_net
    import scalar_net
    from backprop_lab.network import init_params

    params, X, Y = good_arguments()
    params = init_params((2, 4, 3), seed=1)
    Y = np.array([[0.0], [1.0], [2.0], [0.0]])
    for module in (scalar_net, matrix_net):
        told = module.train(params, X, Y, lr=0.5, epochs=3, loss="cross-entropy")
        default = module.train(params, X, Y, lr=0.5, epochs=3)
        np.testing.assert_array_equal(told.loss, default.loss)
        assert told.loss[0] > 0.0
        probabilities = module.predict(told.params, X)
        assert probabilities.shape == (4, 3)
        np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-15)
