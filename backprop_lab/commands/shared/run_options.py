"""The options of a training run, in the groups --help shows them in: the data, the network, the
training (compare and experiment; trace takes the data set, the network and the step's loss and
learning rate); and those among them that act only in some configurations, for ``note_no_effect``.

Every option's help ends in its default.  The commands pick some defaults differently (compare
takes a data set's recipe, an experiment its own epochs), so each passes ``defaults``: the text
of an option's default (by dest) where it is not the parser's default value.
"""

from backprop_lab import options
from backprop_lab.commands.shared import argument_types as types
from backprop_lab.config import Config
from backprop_lab.data import DATASETS, MAX_CLASSES, NAMES

#: The parser's default value, as argparse fills it into a help text.
SHOWN = "%(default)s"


def add_run_options(p, defaults=None, data=True, step_only=False, classes=False):
    """Add the options of one run to the parser ``p``, in groups; return the groups by title
    ("data", "network", "training"), for a command to add its own to.

    data=False: no --data (the user's CSV file); step_only: the options of one step (trace):
    the data set, the network, the loss and the learning rate; classes: the data sets of K classes
    too (--dataset digits, --classes, --loss cross-entropy), for the commands that train them.
    """
    d = Config()
    shown = {"hidden": " ".join(map(str, d.hidden)), **(defaults or {})}

    def default(dest):
        return f"(default: {shown.get(dest, SHOWN)})"

    groups = {title: p.add_argument_group(title) for title in ("data", "network", "training")}
    g = groups["data"]
    names = NAMES if classes else DATASETS
    g.add_argument("--dataset", choices=names, default=d.dataset, metavar="NAME",
                   help=f"the data set: {', '.join(names)} {default('dataset')}")
    if classes:
        g.add_argument("--classes", type=types.classes, default=d.classes, metavar="K",
                       help=f"spiral with K arms, gaussian with K blobs: K classes, 2 to {MAX_CLASSES}; the network "
                            f"gets K softmax outputs for K >= 3 {default('classes')}")
    if not step_only:
        g.add_argument("--samples", type=types.positive_int, default=d.samples, metavar="N",
                       help=f"the points generated; xor always has its 21 {default('samples')}")
        if data:
            what = ("any number of feature columns and then the class 0..K-1" if classes else
                    "x0, x1 and a 0/1 label")
            g.add_argument("--data", type=types.input_file, metavar="PATH.csv",
                           help=f"your own points instead of --dataset: a CSV file of {what} per row, header "
                                "optional (default: the data set's points)")
        g.add_argument("--noise", type=types.noise, default=d.noise, metavar="X",
                       help=f"0 to 1: blurs the boundary between the classes, see README {default('noise')}")
        g.add_argument("--test-fraction", type=types.fraction, default=d.test_fraction, metavar="F",
                       help="hold out this fraction of the points (seeded); both trainers train on the rest "
                            f"and are scored on both {default('test_fraction')}")

    g = groups["network"]
    g.add_argument("--hidden", type=types.positive_int, nargs="+", default=list(d.hidden), metavar="WIDTH",
                   help=f"the hidden layers' widths, one number per layer {default('hidden')}")
    g.add_argument("--activation", choices=options.ACTIVATIONS, default=d.activation,
                   help=f"the hidden layers' activation; the output is a sigmoid{' (K classes: a softmax)' if classes else ''} "
                        f"{default('activation')}")
    g.add_argument("--leaky-slope", type=types.finite_number, default=d.leaky_slope, metavar="S",
                   help=f"leaky ReLU's slope for z < 0, with --activation leaky-relu {default('leaky_slope')}")
    g.add_argument("--no-bias", dest="bias", action="store_false",
                   help="the lab spec's network without biases (default: with biases)")
    g.add_argument("--init", choices=options.INITS, default=d.init,
                   help=f"the initial weights' distribution, see README {default('init')}")
    g.add_argument("--seed", type=types.seed, default=d.seed,
                   help=f"fixes the data and the initial weights {default('seed')}")

    g = groups["training"]
    if classes:
        g.add_argument("--loss", choices=options.ALL_LOSSES, default=None,
                       help="two classes: mean squared error, half of it (half-mse, L = (1/2m) sum of squares: "
                            "Nielsen's) or binary cross-entropy; K classes: cross-entropy over the softmax "
                            "(default: mse for two classes, cross-entropy for K)")
    else:
        g.add_argument("--loss", choices=options.LOSSES, default=d.loss,
                       help="mean squared error, half of it (half-mse, L = (1/2m) sum of squares: Nielsen's) or "
                            f"binary cross-entropy {default('loss')}")
    g.add_argument("--lr", type=types.positive_float, default=d.lr,
                   help=f"the learning rate: each step is w -= lr * dL/dw {default('lr')}")
    if not step_only:
        g.add_argument("--epochs", type=types.positive_int, default=d.epochs,
                       help=f"passes over the training points {default('epochs')}")
        g.add_argument("--batch-size", type=types.positive_int, default=None, metavar="M",
                       help="samples per update (default: the whole data set, one update per epoch)")
        g.add_argument("--optimizer", choices=options.OPTIMIZERS, default=d.optimizer,
                       help=f"plain gradient descent, momentum or Adam {default('optimizer')}")
        g.add_argument("--momentum", type=types.decay, default=d.momentum, metavar="B",
                       help=f"momentum's decay, v = B * v + g, with --optimizer momentum {default('momentum')}")
        g.add_argument("--momentum-form", choices=options.MOMENTUM_FORMS, default=d.momentum_form,
                       help="momentum's velocity: classic v = B * v + g, or average v = B * v + (1 - B) * g, "
                            f"with --optimizer momentum {default('momentum_form')}")
        g.add_argument("--beta1", type=types.decay, default=d.beta1, metavar="B",
                       help=f"Adam's first-moment decay, with --optimizer adam {default('beta1')}")
        g.add_argument("--beta2", type=types.decay, default=d.beta2, metavar="B",
                       help=f"Adam's second-moment decay, with --optimizer adam {default('beta2')}")
        g.add_argument("--weight-decay", type=types.non_negative_float, default=d.weight_decay, metavar="LAMBDA",
                       help="L2 weight decay: adds LAMBDA * w to each weight's gradient (biases do not decay) "
                            f"{default('weight_decay')}")
        g.add_argument("--stop-at-accuracy", type=types.accuracy, default=d.stop_at_accuracy, metavar="A",
                       help="stop after the first epoch whose training accuracy reaches A (1 = 100%%) "
                            "(default: run every epoch)")
        g.add_argument("--exact", action="store_true",
                       help="matrix_net sums its products in the element-wise order: bitwise identical weights "
                            "(default: BLAS's order, which may differ in the last bits)")
    p.add_argument("--allow-large", action="store_true",
                   help="allow a run that needs more than 2 GiB of memory (default: refuse it, before any work)")
    return groups


#: Options that only act in some configurations (see note_no_effect): those of one step, and
#: those of a whole run.
STEP_CONDITIONAL = (
    ("leaky_slope", "--leaky-slope", lambda a: a.activation == "leaky-relu", "--activation leaky-relu"),
)
RUN_CONDITIONAL = STEP_CONDITIONAL + (
    ("samples", "--samples", lambda a: a.dataset != "xor", "a data set other than xor"),
    ("momentum", "--momentum", lambda a: a.optimizer == "momentum", "--optimizer momentum"),
    ("momentum_form", "--momentum-form", lambda a: a.optimizer == "momentum", "--optimizer momentum"),
    ("beta1", "--beta1", lambda a: a.optimizer == "adam", "--optimizer adam"),
    ("beta2", "--beta2", lambda a: a.optimizer == "adam", "--optimizer adam"),
)
