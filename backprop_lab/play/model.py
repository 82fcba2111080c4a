"""What the playground holds and does, without any drawing: both trainers on one configuration.

A ``Playground`` is one ``backprop_lab.config.Config`` (data set, noise, hidden widths, activation,
loss, optimizer, step size, batch size, seed, exact mode): its seed fixes the data and the initial
weights, which both trainers start from.  ``step(epochs)`` trains each trainer for that many
epochs from where it stopped, optimizer state included, so stepping 10 times by 1 epoch gives
the same bits as stepping once by 10.  In exact mode the two networks stay bitwise equal
(``max_param_difference() == 0``); in BLAS mode they drift apart by rounding.
"""

from dataclasses import dataclass, field, replace

import numpy as np

import matrix_net
import scalar_net
from backprop_lab import options
from backprop_lab.config import Config, prepare
from backprop_lab.data import INFO
from backprop_lab.data.recipes import RECIPES
from backprop_lab.network import check_training_args

TRAINERS = ("scalar_net", "matrix_net")
_MODULES = {"scalar_net": scalar_net, "matrix_net": matrix_net}


def parse_widths(text):
    """The hidden layers' widths from text such as ``"4, 4"`` or ``"8 8"``: a tuple of ints.

    Raises ValueError with a one-line message naming the problem.
    """
    pieces = text.replace(",", " ").split()
    if not pieces:
        raise ValueError("give at least one hidden layer's width, e.g. 4, 4")
    try:
        widths = tuple(int(piece) for piece in pieces)
    except ValueError:
        raise ValueError(f"hidden widths are whole numbers separated by commas, got {text!r}") from None
    if min(widths) < 1:
        raise ValueError(f"every hidden layer needs at least one neuron, got {text!r}")
    return widths


def with_recipe(config, dataset):
    """``config`` on ``dataset``, with that data set's recipe (network, optimizer, step size,
    points: backprop_lab.data.recipes), with which both trainers learn it from seed 1."""
    recipe = RECIPES[dataset].options
    recipe.pop("epochs")
    return replace(config, dataset=dataset, data=None, batch_size=None, **recipe)


@dataclass
class Run:
    """One trainer's state in the playground.

    params:      its current parameters [W1, b1, ...] (backprop_lab.conventions).
    state:       its optimizer state (None before the first step), passed back to ``train``.
    loss, accuracy: (epochs,) every epoch's loss and accuracy so far (backprop_lab.conventions).
    diverged_at: the epoch whose loss or parameters were not finite, or None.
    """

    params: list
    state: object = None
    loss: np.ndarray = field(default_factory=lambda: np.zeros(0))
    accuracy: np.ndarray = field(default_factory=lambda: np.zeros(0))
    diverged_at: int | None = None

    @property
    def epochs(self):
        return len(self.loss)


@dataclass
class NextStep:
    """The next update of one batch: every number of it (trace: backprop_lab.network.StepTrace,
    its rows the batch's samples), the parameters it starts from, and the batch X[start:stop]."""

    trace: object
    params: list
    start: int
    stop: int


class Playground:
    """Both trainers on one configuration, stepped together.

    config:  the Config (``backprop_lab.config``); ``Playground(dataset="moons")`` changes the
             defaults, which are the lab's (XOR, 2-4-4-1 sigmoid network, MSE, gradient descent
             with step size 1, full batch, seed 1).
    X, Y:    (n, 2) points and (n, 1) labels, all used for training (no held-out points here).
    initial: the initial parameters both trainers started from.
    runs:    trainer name -> Run.
    """

    def __init__(self, config=None, **changes):
        self.reset(config or Config(), **changes)

    def reset(self, config=None, **changes):
        """Start again from the initial weights, with ``config`` (default: the current one) and
        ``changes`` to it.  Raises ValueError naming a bad setting; the playground then keeps its
        current state."""
        config = replace(config or self.config, **changes)
        X, Y, initial = prepare(config)
        # What the trainers would refuse at the first step, refused now: step size, batch size, names.
        check_training_args(initial, X, Y, config.lr, 1, config.batch_size, config.weight_decay)
        for name, choices in ((config.activation, options.ACTIVATIONS), (config.loss, options.LOSSES),
                              (config.optimizer, options.OPTIMIZERS)):
            options.code(name, choices)
        self.config, self.X, self.Y, self.initial = config, X, Y, initial
        self.runs = {name: Run([p.copy() for p in initial]) for name in TRAINERS}

    @property
    def batch_size(self):
        return self.config.batch_size or len(self.X)

    @property
    def epochs(self):
        """Epochs trained so far (the most of the two runs: one may have stopped, diverged)."""
        return max(run.epochs for run in self.runs.values())

    @property
    def diverged(self):
        return any(run.diverged_at is not None for run in self.runs.values())

    @property
    def bounds(self):
        """(lo, hi) of the input plane the data set's points lie in (None for a CSV file's)."""
        return None if self.config.data else INFO[self.config.dataset].bounds_with(self.config.noise)

    def _options(self, name):
        """The keyword arguments of ``name``'s train, trace_step and predict for this config."""
        training = self.config.trainer_options()
        model = dict(activation=training["activation"], leaky_slope=training["leaky_slope"])
        if name == "matrix_net":
            training["exact"] = model["exact"] = self.config.exact
        return training, model

    def step(self, epochs=1):
        """Train both trainers ``epochs`` more epochs, each from where it stopped.  A trainer
        whose run diverged takes no more steps (reset, or change a setting)."""
        for name, run in self.runs.items():
            if run.diverged_at is not None:
                continue
            training, _ = self._options(name)
            with np.errstate(over="ignore", invalid="ignore"):  # a diverging run says so below, once
                result = _MODULES[name].train(run.params, self.X, self.Y, epochs=int(epochs), state=run.state,
                                              **training)
            if result.diverged_at is not None:
                run.diverged_at = run.epochs + result.diverged_at
            run.params, run.state = result.params, result.state
            run.loss = np.concatenate([run.loss, result.loss])
            run.accuracy = np.concatenate([run.accuracy, result.accuracy])

    def max_param_difference(self):
        """The largest |scalar_net's - matrix_net's| over every parameter: 0.0 in exact mode,
        rounding's drift in BLAS mode (NaN once a run has diverged)."""
        pairs = zip(self.runs["scalar_net"].params, self.runs["matrix_net"].params)
        return max(float(np.max(np.abs(p - q))) for p, q in pairs)

    def outputs(self, points):
        """Trainer name -> (m,) y_hat at ``points`` (m, 2), each from its own network and predict."""
        result = {}
        for name, run in self.runs.items():
            _, model = self._options(name)
            with np.errstate(over="ignore", invalid="ignore"):  # a diverged run's NaN, drawn as it is
                result[name] = _MODULES[name].predict(run.params, points, **model)[:, 0]
        return result

    def batch_of(self, sample):
        """(start, stop): the batch that ``sample`` is in, X[start:stop], in every epoch."""
        if not 0 <= sample < len(self.X):
            raise ValueError(f"sample must be between 0 and {len(self.X) - 1}, got {sample}")
        start = sample // self.batch_size * self.batch_size
        return start, min(start + self.batch_size, len(self.X))

    def next_step(self, sample, trainer="scalar_net"):
        """The update that ``sample`` takes part in next, as ``trainer`` will compute it: a
        NextStep for its batch in the next epoch, at the parameters that batch will meet (the
        batches before it in that epoch are trained first, on a copy)."""
        start, stop = self.batch_of(sample)
        run, module = self.runs[trainer], _MODULES[trainer]
        training, model = self._options(trainer)
        params = run.params
        with np.errstate(over="ignore", invalid="ignore"):  # a diverged run's numbers are shown as they are
            if start > 0:  # the epoch's earlier batches: the same batches, as start is a multiple of the size
                params = module.train(params, self.X[:start], self.Y[:start], epochs=1, state=run.state,
                                      **training).params
            X, Y = self.X[start:stop], self.Y[start:stop]
            trace = module.trace_step(params, X, Y, loss=self.config.loss, **model)
        return NextStep(trace, params, start, stop)

    def trace(self, sample, digits=4):
        """``sample``'s next step as text: every number of its forward pass, loss, backward pass
        and share of the gradient, in the formulas they come from (scalar_net's numbers), and how
        far matrix_net's numbers for the same sample are from them."""
        from backprop_lab.play.trace_text import render

        return render(self, sample, digits)
