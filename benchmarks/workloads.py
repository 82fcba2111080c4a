"""The workloads: a network, a data set and a batch size, each timed as one pytest-benchmark group.

Every workload trains with the lab's defaults (sigmoid hidden layers, MSE, plain SGD, N(0, 1)
weights, zero biases), so every implementation does the same arithmetic.  The lab's own
workload (2-4-4-1 on linear-100, full batch) is also the H=4 point of the width sweep and the
n=100 point of the batch sweep.
"""

from dataclasses import dataclass
from functools import lru_cache

from backprop_lab.data import generate_linear, generate_xor_easy
from backprop_lab.network import init_params

SEED = 0
LR = 0.5


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
