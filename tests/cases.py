"""The one list of configurations every implementation is checked on.

A test takes ``CASES`` (or a filtered view of it) with ``pytest.mark.parametrize``; adding an
option to the trainers means adding rows here, not a new test file.
"""

import itertools
from dataclasses import dataclass

import numpy as np

from backprop_lab.data import generate_linear, generate_xor_easy, load
from backprop_lab.network import init_params, seed_streams
from backprop_lab.options import ACTIVATIONS, LOSSES, OPTIMIZERS


@dataclass(frozen=True)
class Case:
    dataset: str = "xor"
    hidden: tuple = (4, 4)
    bias: bool = True
    activation: str = "sigmoid"
    loss: str = "mse"
    optimizer: str = "sgd"
    batch_size: int | None = None
    lr: float = 0.5
    init: str = "normal"
    seed: int = 3
    weight_decay: float = 0.0
    stop_at_accuracy: float | None = None
    momentum_form: str = "classic"
    classes: int = 2  # K >= 3: K softmax outputs (loss cross-entropy), on spiral's K arms

    @property
    def sizes(self):
        return (2, *self.hidden, 1 if self.classes == 2 else self.classes)

    def data(self, n=40):
        if self.dataset == "xor":
            return generate_xor_easy()
        if self.dataset == "spiral":  # 21 points, as many as XOR's: the steps per epoch are the same
            return load("spiral", seed=seed_streams(self.seed)[0], n=21, classes=self.classes)
        return generate_linear(n, seed=seed_streams(self.seed)[0])

    def params(self):
        return init_params(self.sizes, bias=self.bias, init=self.init, seed=self.seed)

    def model(self):
        """The options that define the loss and its gradient (not the optimizer)."""
        return dict(activation=self.activation, loss=self.loss)

    def training(self):
        return dict(lr=self.lr, batch_size=self.batch_size, optimizer=self.optimizer,
                    weight_decay=self.weight_decay, stop_at_accuracy=self.stop_at_accuracy,
                    momentum_form=self.momentum_form, **self.model())

    def __str__(self):
        batch = "full" if self.batch_size is None else f"bs{self.batch_size}"
        net = "-".join(map(str, self.sizes)) + ("" if self.bias else "-nobias")
        extras = (f"-wd{self.weight_decay:g}" if self.weight_decay else "") + (
            "" if self.stop_at_accuracy is None else f"-stop{self.stop_at_accuracy:g}")
        optimizer = self.optimizer + ("" if self.momentum_form == "classic" else f"-{self.momentum_form}")
        return f"{self.dataset}-{net}-{self.activation}-{self.loss}-{optimizer}-{batch}{extras}"


def classes_case(classes=3, **options):
    """A Case of K classes: spiral's K arms, K softmax outputs, cross-entropy."""
    return Case(dataset="spiral", classes=classes, loss="cross-entropy", **options)


def ids(cases):
    return [str(c) for c in cases]


#: Networks: the lab's, the bias-free lab spec, one hidden layer, a deeper and wider one.
NETWORKS = [dict(hidden=(4, 4)), dict(hidden=(4, 4), bias=False), dict(hidden=(3,)),
            dict(hidden=(5, 3, 4), init="xavier")]

#: Step sizes that train every combination without diverging (momentum's effective step is
#: lr / (1 - 0.9), ten times its lr; in the averaged form, v <- 0.9 v + 0.1 g, it is lr itself).
STEP_SIZES = {"sgd": 0.3, "momentum": 0.03, "adam": 0.02}

#: Every activation x loss x optimizer x batch size, on the lab's network and XOR.
COMBINATIONS = [Case(activation=a, loss=l, optimizer=o, batch_size=b, lr=STEP_SIZES[o])
                for a, l, o, b in itertools.product(ACTIVATIONS, LOSSES, OPTIMIZERS, (None, 1, 8))]

#: Weight decay with every optimizer and batch size, on the lab's net and its bias-free form
#: (where every parameter decays); and the early stop, which must stop both at the same epoch.
COMBINATIONS += [Case(optimizer=o, batch_size=b, lr=STEP_SIZES[o], weight_decay=1e-3, **net)
                 for o, b, net in itertools.product(OPTIMIZERS, (None, 1), (dict(), dict(bias=False)))]
COMBINATIONS += [Case(activation="tanh", loss="bce", optimizer="adam", lr=STEP_SIZES["adam"], weight_decay=0.01),
                 Case(optimizer="sgd", lr=2.0, stop_at_accuracy=1.0),
                 Case(optimizer="momentum", batch_size=1, lr=0.1, stop_at_accuracy=0.9),
                 Case(optimizer="adam", batch_size=8, lr=STEP_SIZES["adam"], weight_decay=1e-4, stop_at_accuracy=1.0)]

#: Momentum in the averaged form, v <- beta v + (1 - beta) g, with every loss and batch size, with
#: weight decay, on the bias-free net, and with the early stop.
COMBINATIONS += [Case(loss=l, optimizer="momentum", momentum_form="average", batch_size=b, lr=STEP_SIZES["sgd"])
                 for l, b in itertools.product(LOSSES, (None, 1, 8))]
COMBINATIONS += [Case(optimizer="momentum", momentum_form="average", batch_size=b, lr=STEP_SIZES["sgd"],
                      weight_decay=1e-3, **net) for b, net in itertools.product((None, 1), (dict(), dict(bias=False)))]
COMBINATIONS += [Case(activation="tanh", loss="half-mse", optimizer="momentum", momentum_form="average",
                      batch_size=1, lr=1.0, stop_at_accuracy=0.9)]

#: K = 3 classes, each hidden activation once, each optimizer and batch size twice, a bias-free
#: net, weight decay, K = 5 on a deeper net, and the early stop: a handful of rows, not the product.
CLASS_COMBINATIONS = [
    classes_case(activation="sigmoid", optimizer="sgd", lr=STEP_SIZES["sgd"]),
    classes_case(activation="tanh", optimizer="adam", batch_size=1, lr=STEP_SIZES["adam"]),
    classes_case(activation="relu", optimizer="momentum", batch_size=8, lr=STEP_SIZES["momentum"], init="kaiming"),
    classes_case(activation="leaky-relu", optimizer="adam", batch_size=8, lr=STEP_SIZES["adam"], init="kaiming",
                 weight_decay=1e-3),
    classes_case(activation="silu", optimizer="momentum", momentum_form="average", batch_size=1, lr=STEP_SIZES["sgd"]),
    classes_case(activation="identity", optimizer="sgd", bias=False, lr=STEP_SIZES["sgd"]),
    classes_case(5, hidden=(5, 3, 4), init="xavier", optimizer="adam", lr=STEP_SIZES["adam"]),
    classes_case(optimizer="adam", batch_size=8, lr=0.1, stop_at_accuracy=0.9),
]
COMBINATIONS += CLASS_COMBINATIONS

#: The shapes and data sets, with the default options.
SHAPES = [Case(dataset=d, **net) for d in ("xor", "linear") for net in NETWORKS]

#: Each activation and loss once on the lab's net, for checks that do not involve the optimizer.
MODELS = [Case(activation=a, loss=l, init="kaiming" if a in ("relu", "leaky-relu") else "normal")
          for a, l in itertools.product(ACTIVATIONS, LOSSES)] + SHAPES

#: K classes for the checks that do not involve the optimizer: each hidden activation at K = 3,
#: and K = 5 with and without biases; the checks run over MODELS + CLASS_MODELS.
CLASS_MODELS = [classes_case(activation=a, init="kaiming" if a in ("relu", "leaky-relu") else "normal")
                for a in ACTIVATIONS] + [classes_case(5, hidden=(5, 3)), classes_case(5, hidden=(4,), bias=False)]


def random_inputs(case, m, seed):
    """Random parameters and a batch of m points, shifted off ReLU's kink at z = 0.

    Finite differences straddle the kink if some pre-activation is within h of 0; the caller
    checks ``min_abs_preactivation`` against its step.
    """
    rng = np.random.default_rng(seed)
    params = init_params(case.sizes, bias=case.bias, init=case.init, rng=rng)
    if case.bias:
        params = [p + rng.uniform(-0.5, 0.5, p.shape) if p.ndim == 1 else p for p in params]
    X = rng.uniform(0, 1, (m, 2))
    if case.classes != 2:
        return params, X, rng.integers(0, case.classes, (m, 1)).astype(float)
    Y = (rng.uniform(0, 1, (m, 1)) > 0.5).astype(float)
    return params, X, Y
