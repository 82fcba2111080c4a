"""The options of a training run: the network and its step (compare, experiment and trace), and
the rest of a run (compare and experiment); and those among them that act only in some
configurations, for ``note_no_effect``."""

from backprop_lab import options
from backprop_lab.commands.shared import argument_types as types
from backprop_lab.data import DATASETS


def add_network_options(p):
    """The options compare and trace share: the data set, the network, its start and its step."""
    from backprop_lab.config import Config

    d = Config()
    p.add_argument("--dataset", choices=DATASETS, default=d.dataset,
                   help=f"default: {d.dataset}; each data set has a recipe (README) that compare uses for "
                        "--hidden, --optimizer, --lr, --epochs and --samples when they are not given")
    p.add_argument("--hidden", type=types.positive_int, nargs="+", default=list(d.hidden), metavar="WIDTH",
                   help="hidden layer widths (default: 4 4)")
    p.add_argument("--lr", type=types.positive_float, default=d.lr, help="learning rate")
    p.add_argument("--seed", type=types.seed, default=d.seed, help="fixes the data and the initial weights")
    p.add_argument("--no-bias", dest="bias", action="store_false", help="the lab spec's bias-free network")
    p.add_argument("--activation", choices=options.ACTIVATIONS, default=d.activation,
                   help="hidden layers' activation (the output is always a sigmoid)")
    p.add_argument("--leaky-slope", type=types.finite_number, default=d.leaky_slope,
                   help="leaky ReLU's slope for z < 0")
    p.add_argument("--loss", choices=options.LOSSES, default=d.loss)
    p.add_argument("--init", choices=options.INITS, default=d.init, help="initial weight distribution")
    p.add_argument("--allow-large", action="store_true",
                   help="allow a run that needs more than 2 GiB of memory (see README)")


def add_run_options(p, data=True):
    """The options that fix one training run: compare's, shared with experiment (which trains on
    the generated data sets only: ``data=False`` leaves out --data, the user's CSV file)."""
    from backprop_lab.config import Config

    d = Config()
    p.add_argument("--samples", type=types.positive_int, default=d.samples,
                   help="points generated (xor has its 21; default: the data set's recipe)")
    add_network_options(p)
    if data:
        p.add_argument("--data", metavar="PATH.csv",
                       help="your own points instead of --dataset: a CSV file of x0, x1 and a 0/1 label per row, "
                            "header optional")
    p.add_argument("--noise", type=types.noise, default=d.noise,
                   help="0 to 1: blurs the classes' boundary (see README for what it does to each data set)")
    p.add_argument("--test-fraction", type=types.fraction, default=d.test_fraction, metavar="F",
                   help="hold out this fraction of the points (seeded); both trainers train on the rest "
                        "and are scored on both")
    p.add_argument("--epochs", type=types.positive_int, default=d.epochs)
    p.add_argument("--batch-size", type=types.positive_int, default=None, help="default: the whole data set")
    p.add_argument("--exact", action="store_true",
                   help="matrix_net sums its products in the element-wise order: bitwise identical weights")
    p.add_argument("--optimizer", choices=options.OPTIMIZERS, default=d.optimizer)
    p.add_argument("--momentum", type=types.decay, default=d.momentum, help="momentum: v = momentum * v + g")
    p.add_argument("--beta1", type=types.decay, default=d.beta1, help="Adam's first-moment decay")
    p.add_argument("--beta2", type=types.decay, default=d.beta2, help="Adam's second-moment decay")
    p.add_argument("--weight-decay", type=types.non_negative_float, default=d.weight_decay, metavar="LAMBDA",
                   help="L2 weight decay: adds LAMBDA * w to each weight's gradient (biases do not decay)")
    p.add_argument("--stop-at-accuracy", type=types.accuracy, default=d.stop_at_accuracy, metavar="A",
                   help="stop after the first epoch whose training accuracy reaches A (1 = 100%%)")


#: Options that only act in some configurations (see note_no_effect): those of add_network_options,
#: and those of add_run_options.
NETWORK_CONDITIONAL = (
    ("leaky_slope", "--leaky-slope", lambda a: a.activation == "leaky-relu", "--activation leaky-relu"),
)
RUN_CONDITIONAL = NETWORK_CONDITIONAL + (
    ("samples", "--samples", lambda a: a.dataset != "xor", "a data set other than xor"),
    ("momentum", "--momentum", lambda a: a.optimizer == "momentum", "--optimizer momentum"),
    ("beta1", "--beta1", lambda a: a.optimizer == "adam", "--optimizer adam"),
    ("beta2", "--beta2", lambda a: a.optimizer == "adam", "--optimizer adam"),
)
