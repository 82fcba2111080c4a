"""One run's configuration, and what one seed fixes: the data and the initial weights.

This is ground shared by every command and test; it imports neither trainer.
"""

import os
from dataclasses import dataclass

from backprop_lab import options
from backprop_lab.data import load
from backprop_lab.data.csvfile import load_csv
from backprop_lab.data.split import split_indices
from backprop_lab.network import check_sizes, init_params, seed_streams


@dataclass
class Config:
    """One side-by-side run.  ``batch_size=None`` means full batch."""

    dataset: str = "xor"
    samples: int = 100  # generated points; XOR has its 21
    hidden: tuple = (4, 4)
    epochs: int = 10_000
    lr: float = 1.0
    batch_size: int | None = None
    seed: int = 1
    bias: bool = True
    exact: bool = False
    activation: str = "sigmoid"
    loss: str = "mse"
    optimizer: str = "sgd"
    momentum: float = options.DEFAULT_MOMENTUM
    momentum_form: str = "classic"  # or "average": options.MOMENTUM_FORMS, backprop_lab.conventions
    beta1: float = options.DEFAULT_BETA1
    beta2: float = options.DEFAULT_BETA2
    leaky_slope: float = options.DEFAULT_LEAKY_SLOPE
    init: str = "normal"
    weight_decay: float = 0.0
    stop_at_accuracy: float | None = None
    report_every: int = 1000
    print_samples: int = 100  # compare prints the predictions of the first this many samples
    noise: float = 0.0  # see backprop_lab.data.noise
    test_fraction: float = 0.0  # held out, seeded: backprop_lab.data.split
    data: str | None = None  # a CSV file of the user's points; replaces ``dataset``
    classes: int = 2  # the data's classes: 2 (one sigmoid output) or K >= 3 (K softmax outputs; the digits: 10)
    inputs: int = 2  # the data's features, the input layer's width (the plane's sets: 2)

    @property
    def data_name(self):
        """The data's name as printed: the data set's, or the CSV file's."""
        return os.path.basename(self.data) if self.data else self.dataset

    @property
    def sizes(self):
        return check_sizes((self.inputs, *self.hidden, 1 if self.classes == 2 else self.classes))

    def trainer_options(self):
        """Keyword arguments both trainers take, with the same values."""
        return dict(lr=self.lr, batch_size=self.batch_size, activation=self.activation, loss=self.loss,
                    optimizer=self.optimizer, momentum=self.momentum, momentum_form=self.momentum_form,
                    beta1=self.beta1,
                    beta2=self.beta2, leaky_slope=self.leaky_slope, weight_decay=self.weight_decay,
                    stop_at_accuracy=self.stop_at_accuracy)


def prepare(config, points=None):
    """The data (all of it, test points included) and the initial parameters, all fixed by
    ``config.seed``; a CSV file's points come from the file, or are ``points`` (X, Y), the file as
    a command has read it already (a file is read once: a FIFO cannot be read twice)."""
    data_seed, weight_rng = seed_streams(config.seed)
    if points is not None:
        X, Y = points
    elif config.data:
        X, Y = load_csv(config.data)
    else:
        X, Y = load(config.dataset, seed=data_seed, n=config.samples, noise=config.noise, classes=config.classes)
    params = init_params(config.sizes, bias=config.bias, init=config.init, rng=weight_rng)
    return X, Y, params


def held_out(config, X, Y):
    """(X_train, Y_train, X_test, Y_test): ``config.test_fraction`` of the points held out,
    chosen by ``config.seed`` (its own stream, so the data and the weights stay the same)."""
    train, test = split_indices(len(X), config.test_fraction, config.seed)
    return X[train], Y[train], X[test], Y[test]
