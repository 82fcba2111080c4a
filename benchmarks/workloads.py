"""The workloads: a network, a data set and a batch size, each timed as one pytest-benchmark group.

Every workload trains with the lab's defaults (sigmoid hidden layers, MSE, plain SGD, N(0, 1)
weights, zero biases; the digits' ten classes softmax outputs and cross-entropy), so every
implementation does the same arithmetic.  The lab's own
workload (2-4-4-1 on linear-100, full batch) is also the H=4 point of the width sweep and the
n=100 point of the batch sweep.
"""

from dataclasses import dataclass
from functools import lru_cache

from backprop_lab.data import DIGITS, generate_linear, generate_xor_easy, load
from backprop_lab.data.digits import CLASSES as DIGITS_CLASSES, SIDE, SIZE as DIGITS_SIZE
from backprop_lab.network import init_params

SEED = 0
LR = 0.5
DIGITS_INPUTS = SIDE * SIDE  # one input per pixel


@dataclass(frozen=True)
class Workload:
    dataset: str  # "linear" or "xor"
    n: int  # samples (21 for xor)
    hidden: int  # width H of both hidden layers: sizes (2, H, H, 1)
    per_sample: bool  # batch size 1 instead of the full batch

    @property
    def sizes(self):
        return (2, self.hidden, self.hidden, 1)

    @property
    def batch_size(self):
        return 1 if self.per_sample else self.n

    @property
    def id(self):
        batch = "per-sample" if self.per_sample else "full"
        return f"{'-'.join(map(str, self.sizes))}-{self.dataset}{self.n}-{batch}"

    @property
    def group(self):
        batch = "per-sample (batch 1)" if self.per_sample else "full batch"
        return f"{'-'.join(map(str, self.sizes))} on {self.dataset}-{self.n}, {batch}"

    def data(self):
        return _data(self.dataset, self.n)

    def params(self):
        return init_params(self.sizes, seed=SEED)

    def spec(self):
        """Everything another process needs to rebuild this workload (see pure_python.py)."""
        return {"dataset": self.dataset, "n": self.n, "hidden": self.hidden, "per_sample": self.per_sample}

    def info(self):
        """What the bench report reads back from the saved JSON."""
        return {"workload": self.id, "dataset": self.dataset, "n": self.n, "hidden": self.hidden,
                "sizes": list(self.sizes), "batch_size": self.batch_size}


@lru_cache(maxsize=None)
def _data(dataset, n):
    if dataset == "xor":
        return generate_xor_easy()
    return generate_linear(n, SEED)


LAB = Workload("linear", 100, 4, per_sample=False)
LAB_PER_SAMPLE = Workload("linear", 100, 4, per_sample=True)
XOR = Workload("xor", 21, 4, per_sample=False)
XOR_PER_SAMPLE = Workload("xor", 21, 4, per_sample=True)
LAB_WORKLOADS = (LAB, LAB_PER_SAMPLE, XOR, XOR_PER_SAMPLE)

#: 2-H-H-1 on linear-100, full batch (H=4 is LAB).
WIDTHS = (4, 16, 64, 256)
WIDTH_WORKLOADS = tuple(Workload("linear", 100, h, per_sample=False) for h in WIDTHS if h != LAB.hidden)

#: 2-4-4-1 on linear-n, full batch (n=100 is LAB).
BATCHES = (21, 100, 1000, 10_000)
BATCH_WORKLOADS = tuple(Workload("linear", n, 4, per_sample=False) for n in BATCHES if n != LAB.n)

#: Wide and large: where the matrix form should run at the speed of its products.
BIG = Workload("linear", 10_000, 256, per_sample=False)


def from_spec(spec):
    return Workload(**spec)


@dataclass(frozen=True)
class DigitsWorkload:
    """A K-class workload on real data: 64-H-10 or 64-H-H-10 on the 1,797 8x8 digits, softmax
    outputs and cross-entropy (the loss the trainers take for K >= 3 outputs), in full batches or
    in mini-batches of ``batch`` (the last one shorter: 1797 = 3 x 599)."""

    hidden: int  # width H of every hidden layer
    depth: int  # hidden layers: 1 (64-H-10) or 2 (64-H-H-10)
    batch: int | None  # samples per batch; None: the full batch
    dataset = "digits"
    n = DIGITS_SIZE

    @property
    def sizes(self):
        return (DIGITS_INPUTS, *[self.hidden] * self.depth, DIGITS_CLASSES)

    @property
    def batch_size(self):
        return self.batch or self.n

    @property
    def id(self):
        batch = f"batch{self.batch}" if self.batch else "full"
        return f"{'-'.join(map(str, self.sizes))}-digits-{batch}"

    @property
    def group(self):
        batch = f"mini-batches of {self.batch}" if self.batch else "full batch"
        return f"{'-'.join(map(str, self.sizes))} on digits-{self.n}, {batch}"

    def data(self):
        return load(DIGITS)

    def params(self):
        return init_params(self.sizes, seed=SEED)

    def info(self):
        """What the bench report reads back from the saved JSON (``depth`` tells the digits' two nets apart)."""
        return {"workload": self.id, "dataset": self.dataset, "n": self.n, "hidden": self.hidden, "depth": self.depth,
                "sizes": list(self.sizes), "batch_size": self.batch_size}


#: 64-H-10 and 64-H-H-10 on the digits, full batch and mini-batches of DIGITS_BATCH, at these
#: widths by depth (64-16-16-10 left out: every workload costs JAX a second's compilation even
#: under plain pytest, and 64-16-10 already shows the narrow end).
DIGITS_WIDTHS = {1: (16, 64, 256), 2: (64, 256)}
DIGITS_BATCH = 32
DIGITS_WORKLOADS = tuple(DigitsWorkload(h, depth, batch) for depth, widths in DIGITS_WIDTHS.items()
                         for batch in (None, DIGITS_BATCH) for h in widths)
