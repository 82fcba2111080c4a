"""What a check gives the student's functions: the network, its seeded parameters and two batches.

Everything here is in the package's row-vector convention (backprop_lab.conventions);
backprop_lab.check.layouts turns it into the student's.

The weights are the ones ``compare`` and ``trace`` start from for the same seed
(backprop_lab.network.init_params).  The biases are not left at 0, as training starts them: a
bias that is forgotten, averaged or taken from one sample must change the numbers to be seen.
The inputs are rounded to two decimals so that a student can redo the first sample by hand.
"""

from dataclasses import dataclass

import numpy as np

from backprop_lab import options
from backprop_lab.check.finite_differences import forward
from backprop_lab.network import check_sizes, init_params

#: The batches every check runs: one sample (each layer's delta can be read off the gradients)
#: and several (a missing sum over the samples, or a 1/m in the wrong place, shows).  Five, so
#: that the constants of the loss conventions (1/2, m, m/2) all differ from each other and from 1.
BATCH_SIZES = (1, 5)

#: The spawn key of the check's own random stream (biases and inputs), apart from the streams of
#: backprop_lab.network.seed_streams.
STREAM = 16

#: Activations with a kink at z = 0: the inputs are drawn again until no hidden z is this close to
#: it, so that the finite differences never step across it.
KINKED = ("relu", "leaky-relu")
KINK_MARGIN = 1e-2


@dataclass(frozen=True)
class Network:
    """The network whose gradients are checked; the options of ``compare`` that shape it."""

    sizes: tuple = (2, 4, 4, 1)
    bias: bool = True
    activation: str = "sigmoid"
    loss: str = "mse"
    leaky_slope: float = options.DEFAULT_LEAKY_SLOPE

    def __post_init__(self):
        object.__setattr__(self, "sizes", check_sizes(self.sizes))
        options.code(self.activation, options.ACTIVATIONS)
        options.code(self.loss, options.LOSSES)

    @property
    def L(self):
        """The output layer's number: layers run from 0 (the inputs) to L."""
        return len(self.sizes) - 1

    @property
    def names(self):
        """['W1', 'b1', 'W2', ...] in parameter order (backprop_lab.network.param_names)."""
        return [f"{kind}{l}" for l in range(1, self.L + 1) for kind in ("W", "b")[: 2 if self.bias else 1]]

    @property
    def shapes(self):
        """Each parameter's shape in parameter order: W_l (fan_in, fan_out), b_l (fan_out,)."""
        return [shape for fan_in, fan_out in zip(self.sizes[:-1], self.sizes[1:])
                for shape in ((fan_in, fan_out), (fan_out,))[: 2 if self.bias else 1]]

    def model(self):
        """The keyword arguments of the trainers' batch_gradient and trace_step."""
        return dict(activation=self.activation, loss=self.loss, leaky_slope=self.leaky_slope)

    def describe(self):
        net = "-".join(map(str, self.sizes))
        return (f"the {net} network {'with' if self.bias else 'without'} bias, {self.activation} hidden / "
                f"sigmoid output, {self.loss} loss")


@dataclass
class Batch:
    """X (m, 2) one sample per row, Y (m, 1) their 0/1 labels."""

    X: np.ndarray
    Y: np.ndarray

    @property
    def m(self):
        return self.X.shape[0]

    @property
    def label(self):
        return f"the batch of {self.m} sample{'s' if self.m > 1 else ''}"


@dataclass
class Problem:
    """The seeded parameters (row vectors, parameter order) and the batches of BATCH_SIZES; the
    batch of one is the first sample of the others."""

    network: Network
    seed: int
    params: list
    batches: list


def hidden_z(network, params, X):
    """Every hidden layer's pre-activations z for the inputs X (plain NumPy; only to stay off kinks)."""
    Zs, _ = forward(network, params, X)
    return Zs[1:-1]


def make_problem(network, seed):
    """The parameters and batches a check of ``network`` with ``seed`` runs on, always the same."""
    params = init_params(network.sizes, bias=network.bias, seed=seed)
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(STREAM,)))
    if network.bias:
        params = [p if p.ndim == 2 else np.round(rng.normal(0.0, 0.5, p.shape), 2) for p in params]
    m = max(BATCH_SIZES)
    for _ in range(100):
        X = np.round(rng.uniform(-1.0, 1.0, (m, 2)), 2)
        Y = rng.integers(0, 2, (m, 1)).astype(np.float64)
        if network.activation not in KINKED or all(np.min(np.abs(Z)) > KINK_MARGIN
                                                   for Z in hidden_z(network, params, X)):
            break
    else:  # pragma: no cover - a hundred draws all within 0.01 of a kink
        raise ValueError(f"seed {seed}: no inputs keep every hidden z away from the kink at 0; try another seed")
    batches = [Batch(X[:size].copy(), Y[:size].copy()) for size in BATCH_SIZES]
    return Problem(network, seed, params, batches)
