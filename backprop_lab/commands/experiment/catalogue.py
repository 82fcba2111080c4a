"""The experiments of ``backprop-lab experiment``: the lab's discussion questions, one each.

An experiment varies one thing (the *setting*) and keeps the rest of the configuration fixed.
Each setting is a small dict of Config fields.  Precedence, from weakest to strongest:

    Config's defaults < the experiment's ``base`` < a setting's companion fields (such as the step
    size that suits an optimizer) < the options the user gave < the setting's own field(s).

So ``backprop-lab experiment optimizer --lr 0.05`` runs every optimizer at 0.05, while
``backprop-lab experiment lr --lr 0.05`` still varies the step size (the varied field wins).
"""

import math
from dataclasses import dataclass, field

from backprop_lab import options
from backprop_lab.data.recipes import STEP_SIZE  # the step size that suits each optimizer


@dataclass(frozen=True)
class Experiment:
    """One question.

    name:      what the user types;
    question:  the question, as a report's heading;
    varies:    the Config field(s) a setting sets (the user cannot also give them as options);
    defaults:  the default values, as the user would type them on the command line;
    parse:     text -> the setting's dict of Config fields; raises ValueError naming the problem;
    legend:    what a value is, as a figure's legend title;
    panel:     a boundary panel's title, with {} for the value (``"lr {}"``);
    show:      the value as tables and figures show it, from the setting's fields and the network's
               (inputs, outputs) (default: as typed);
    ordered:   the values run from small to large (drawn in a sequential colour map);
    base:      Config fields this experiment changes from Config's defaults (the user can);
    over_datasets: run every setting on every data set (the ``table`` experiment);
    gradients: the report shows each layer's gradient norm per epoch (gradients.png);
    notes:     paragraphs for the report, explaining what to look for; a derivation is linked as
               ``derivations/generated/NAME.md``, which report.md makes relative to its folder (links.py).
    class_notes: the notes for a network of K softmax outputs, where ``notes`` speak of the
               sigmoid output (empty: ``notes`` hold for both).
    """

    name: str
    question: str
    varies: tuple
    defaults: tuple
    parse: object
    legend: str = ""
    panel: str = "{}"
    show: object = None
    ordered: bool = False
    base: dict = field(default_factory=dict)
    over_datasets: bool = False
    gradients: bool = False
    notes: tuple = ()
    class_notes: tuple = ()


def _number(text, what):
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{what} must be a number, got {text!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"{what} must be finite, got {text!r}")
    return value


def _step_size(text):
    value = _number(text, "a step size")
    if value <= 0:
        raise ValueError(f"a step size must be positive, got {text}")
    return {"lr": value}


def _count(text, what):
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{what} must be a whole number, got {text!r}") from None
    if value < 1:
        raise ValueError(f"{what} must be at least 1, got {text}")
    return value


def _widths(text):
    """``H``: both hidden layers H units wide (2-H-H-1); or a width per hidden layer, ``8,4`` (one
    word on the command line, so ``--values 8,4 4,4 2`` is three settings) or ``"8 4"``: 2-8-4-1."""
    words = text.replace(",", " ").split()
    if not words:
        raise ValueError(f"a hidden-layer width must be a whole number, got {text!r}")
    widths = tuple(_count(word, "a hidden-layer width") for word in words)
    return {"hidden": widths * 2 if len(widths) == 1 else widths}


def _network(fields, shape):
    """The network's shape, inputs to output: ``2-8-4-1`` (``shape``: (inputs, outputs), the data's)."""
    return "-".join(map(str, (shape[0], *fields["hidden"], shape[1])))


#: The most hidden layers the depth experiment builds: checked on the number, before the network's
#: sizes exist (10**8 layers took a minute and gigabytes to refuse).
MAX_DEPTH = 1000


def _depth(text):
    depth = _count(text, "a number of hidden layers")
    if depth > MAX_DEPTH:
        raise ValueError(f"a number of hidden layers must be at most {MAX_DEPTH}, got {text}")
    return {"hidden": (4,) * depth}


def _choice(name, choices):
    def parse(text):
        if text not in choices:
            raise ValueError(f"unknown {name} {text!r}; choose from {', '.join(choices)}")
        return {name: text}
    return parse


#: The optimizer experiment's name for momentum in the averaged form, v <- beta v + (1 - beta) g.
MOMENTUM_AVERAGE = "momentum-average"


def _optimizer(text):
    """An optimizer at the step size that suits it; ``momentum-average``, momentum's averaged form,
    takes plain gradient descent's (its velocity is an average of gradients, not about 1/(1 - beta) of them)."""
    if text == MOMENTUM_AVERAGE:
        return {"optimizer": "momentum", "momentum_form": "average", "lr": STEP_SIZE["sgd"]}
    setting = _choice("optimizer", options.OPTIMIZERS + (MOMENTUM_AVERAGE,))(text)
    return {**setting, "lr": STEP_SIZE[text]}


def _loss(text):
    """``LOSS`` or ``ACTIVATION+LOSS`` (the hidden activation paired with the loss)."""
    activation, _, loss = text.rpartition("+")
    setting = _choice("loss", options.LOSSES)(loss)
    if activation:
        setting.update(_choice("activation", options.ACTIVATIONS)(activation))
    return setting


def _batch(text):
    if text == "full":
        return {"batch_size": None}
    return {"batch_size": _count(text, "a batch size (or 'full')")}


def _weight_decay(text):
    value = _number(text, "a weight decay")
    if value < 0:
        raise ValueError(f"a weight decay must be zero or positive, got {text}")
    return {"weight_decay": value}


NO_ACTIVATION_NOTE = (
    "`identity` is the network without activation functions. Every layer is then an affine map "
    "$z = aW + b$, and a composition of affine maps is one affine map, so the whole network is a "
    "logistic regression on the two inputs: its decision boundary is a single straight line "
    "whatever the number of layers. No straight line separates XOR's two classes, so it cannot "
    "reach 100% on XOR; on the linear set it can. "
    "[derivations/generated/05_no_activation.md](derivations/generated/05_no_activation.md) "
    "proves both the collapse to one affine map and that no affine function separates XOR.")

EXPERIMENTS = {e.name: e for e in (
    Experiment(
        "lr", "What happens with other learning rates?", ("lr",),
        ("0.001", "0.01", "0.1", "0.3", "1", "3", "10", "30", "100"), _step_size,
        legend="learning rate", panel="lr {}", ordered=True,
        notes=("A step size that is too small leaves the network where it started for thousands of "
               "epochs; a larger one converges sooner, until the steps overshoot. With a sigmoid "
               "output and MSE the loss cannot overflow (it stays below 1), so a step size that is "
               "far too large does not diverge to infinity: it throws the weights to where the "
               "sigmoids saturate, their gradient vanishes, and training stalls at a poor "
               "accuracy.",),
        class_notes=("A step size that is too small leaves the network where it started for thousands of "
                     "epochs; a larger one converges sooner, until the steps overshoot. With softmax "
                     "outputs and cross-entropy the loss has no upper bound (it grows as the probability "
                     "of a point's class goes to 0), so a step size that is far too large can diverge.",)),
    Experiment(
        "hidden", "What happens with other numbers of hidden units?", ("hidden",),
        ("1", "2", "4", "8", "16", "32"), _widths,
        legend="network", show=_network, ordered=True,
        notes=("A value H is the width of both hidden layers (2-H-H-1); a width per hidden layer, "
               "such as `8,4` (2-8-4-1), gives each layer its own. With one unit in the "
               "first hidden layer the output depends on the inputs only through one weighted sum "
               "$x_0 w_0 + x_1 w_1 + b$, so the boundary is a straight line, which cannot separate "
               "XOR; from two units on it can bend. Wider layers "
               "start with more useful directions and usually reach 100% in fewer epochs, but each "
               "epoch costs more: the number of weights grows with the square of the width.",)),
    Experiment(
        "depth", "What happens with more or fewer hidden layers?", ("hidden",),
        ("1", "2", "3", "4"), _depth,
        legend="hidden layers\n(4 units each)", panel="hidden layers: {}", ordered=True, gradients=True,
        notes=("Each value is a number of hidden layers of 4 units (1: 2-4-1, 2: the lab's "
               "2-4-4-1, ...). Every sigmoid layer multiplies the back-propagated error by "
               "$\\sigma'(z) \\le 1/4$, so the first layers of a deep sigmoid network learn slowly; "
               "on the other hand each layer gives the network more ways to bend its boundary. "
               "The table shows which effect wins at each depth.",)),
    Experiment(
        "activation", "What happens with other activation functions, or without any?", ("activation",),
        options.ACTIVATIONS, _choice("activation", options.ACTIVATIONS),
        legend="hidden activation",
        notes=("The hidden layers use the activation; the output stays a sigmoid so that it is a "
               "probability. All run at the lab's step size, 1.",
               NO_ACTIVATION_NOTE),
        class_notes=("The hidden layers use the activation; the output stays a softmax over the classes, so "
                     "that its outputs are probabilities that sum to 1. All run at the lab's step size, 1.",
                     "`identity` is the network without activation functions. Every layer is then an affine "
                     "map $z = aW + b$, and a composition of affine maps is one affine map, so the whole "
                     "network is a multinomial logistic regression on the inputs: a softmax of one affine "
                     "map, whose boundaries between two classes are straight lines (hyperplanes) whatever "
                     "the number of layers.")),
    Experiment(
        "optimizer", "What do momentum and Adam change?", ("optimizer", "momentum_form"),
        options.OPTIMIZERS, _optimizer, legend="optimizer",
        notes=("Each optimizer runs at the step size that suits it: gradient descent (`sgd`) at "
               f"the lab's {STEP_SIZE['sgd']:g}; `momentum` (0.9) at {STEP_SIZE['momentum']:g}, because "
               "its velocity adds up about 1/(1 - 0.9) = 10 gradients, which gives it the same "
               f"effective step as gradient descent; `adam` at {STEP_SIZE['adam']:g}, the largest step "
               "size at which its loss never jumped up by more than 10% between epochs in these "
               "seeds (Adam divides by the gradient's running size, so each weight moves by about "
               "lr per step). Give `--lr` to run them all at one step size instead.",)),
    Experiment(
        "loss", "MSE or cross-entropy? (and sigmoid + MSE against ReLU + BCE)", ("activation", "loss"),
        ("sigmoid+mse", "sigmoid+bce", "relu+mse", "relu+bce"), _loss,
        legend="hidden activation\n+ loss",
        notes=("Values are `LOSS` or `ACTIVATION+LOSS` (the hidden activation with the loss). "
               "With MSE the output error is multiplied by $\\sigma'(z) = \\hat y(1 - \\hat y)$, "
               "which vanishes when the output saturates; with cross-entropy it cancels and the "
               "output error is $\\hat y - y$ "
               "([derivations/generated/07_losses.md](derivations/generated/07_losses.md)). "
               "All four run at the lab's step size, 1. Because BCE's error is not damped by "
               "$\\sigma'$, the same step size moves the weights further with BCE than with MSE: a "
               "step size that suits one loss can be too large for the other, so compare them at "
               "a second one too (`--lr 0.1`). The two losses are on different scales (BCE at chance "
               "is $\\ln 2 \\approx 0.69$, MSE at chance 0.25), so compare their accuracies and "
               "epochs rather than their final losses.",)),
    Experiment(
        "init", "Does the initial weight distribution matter?", ("init",),
        options.INITS, _choice("init", options.INITS), legend="initial weights",
        notes=("`normal` is the lab's N(0, 1); `uniform` is U(-1, 1); `xavier` and `kaiming` scale "
               "the spread by the layer's fan-in (and fan-out), which matters more for deeper "
               "and wider networks than for the lab's 2-4-4-1. Biases start at 0.",)),
    Experiment(
        "batch", "Full batch, mini-batches, or one sample at a time?", ("batch_size",),
        ("full", "10", "4", "1"), _batch, legend="batch size", panel="batch {}",
        notes=("The same number of epochs for each: a batch size of 1 makes one update per sample, "
               "so 21 updates per epoch on XOR against 1 for the full batch. The epoch's loss and "
               "accuracy are measured during the epoch, from each batch before its update.",)),
    Experiment(
        "decay", "What does L2 weight decay do?", ("weight_decay",),
        ("0", "0.00001", "0.0001", "0.0003", "0.001"), _weight_decay,
        legend="weight decay λ", panel="λ = {}", ordered=True,
        notes=("Weight decay $\\lambda$ adds $\\frac{\\lambda}{2}\\lVert W\\rVert^2$ to the loss "
               "(weights only, not biases), so each weight's gradient gains $\\lambda w$ "
               "([derivations/generated/08_weight_decay.md](derivations/generated/08_weight_decay.md)). "
               "The loss shown is the data term alone. A large $\\lambda$ keeps the weights "
               "small, and XOR needs weights large enough to bend the boundary sharply.",)),
    Experiment(
        "table", "Which activation suits which data set?", ("activation",),
        options.ACTIVATIONS, _choice("activation", options.ACTIVATIONS), base={"epochs": 2000},
        legend="hidden activation", over_datasets=True,
        notes=("Every activation on every data set of the plane in `backprop_lab.data`, on the spiral "
               "in 3 classes (its network 2-4-4-3: three softmax outputs, cross-entropy) and on the "
               "digits (64-4-4-10: ten softmax outputs), at the lab's step size 1; the cell is the final "
               "training accuracy (for K classes: the fraction of points whose largest output is their "
               "class), median and range over the seeds. The runs are "
               "2000 epochs long (not 5000 as in the other experiments) so that the nine data sets "
               "take seconds; the digits' are 200 (an epoch of their 1797 images costs some 150 times "
               "one of the plane's 100 points), and `--epochs` leaves theirs as it is. Four units a "
               "layer are few for ten classes of 64 pixels: the digits' cells compare the "
               "activations, not what a network can reach on them (see `--dataset digits` in "
               "docs/questions.md); they have 64 inputs and no plane, so the boundaries below leave them "
               "out. A low cell can be a slow start rather than a limit of the network: "
               "rerun with `--epochs 20000`, or with a wider network (`--hidden 16 16`), to tell "
               "which.",
               NO_ACTIVATION_NOTE)),
)}

#: The table's data sets beyond the plane's two-class ones, by the name its table shows: the
#: Config fields that make each.  The digits train 200 epochs, not the table's 2000: 64-4-4-10 on
#: their 1797 images costs some 150 times a run on the plane (about 2.5 s of one core per 2000
#: epochs), and the suite regenerates the committed table.
TABLE_CLASS_SETS = {"spiral, 3 classes": {"dataset": "spiral", "classes": 3},
                    "digits, 200 epochs": {"dataset": "digits", "epochs": 200}}

#: Epochs that an experiment runs unless --epochs says otherwise: enough for the lab's network
#: to reach 100% on XOR with the default step size in every seed.
DEFAULT_EPOCHS = 5000
DEFAULT_SEEDS = 10


@dataclass(frozen=True)
class Setting:
    """One value of an experiment: ``text`` as typed, ``fields`` the Config fields it sets."""

    text: str
    fields: dict

    def shown(self, experiment, shape=(2, 1)):
        """The value as tables and figures show it: as typed, or the experiment's ``show`` of it
        for a network of ``shape`` (inputs, outputs)."""
        return self.text if experiment.show is None else experiment.show(self.fields, shape)

    def panel(self, experiment, shape=(2, 1)):
        """A boundary panel's title: the value in words, with its companion fields."""
        shown = self.shown(experiment, shape)
        return self.label(experiment, shape).replace(shown, experiment.panel.format(shown), 1)

    def label(self, experiment, shape=(2, 1)):
        """The value as shown, with the companion fields it brings (an optimizer's step size)."""
        companions = [f"{name} {value:g}" for name, value in self.fields.items() if name not in experiment.varies]
        return self.shown(experiment, shape) + (f" ({', '.join(companions)})" if companions else "")


def parse_values(experiment, texts):
    """The Settings for ``texts`` (or the defaults); ValueError naming a value that does not fit."""
    texts = list(texts or experiment.defaults)
    if len(set(texts)) != len(texts):
        raise ValueError(f"the values repeat one another: {' '.join(texts)}")
    settings, seen = [], {}
    for text in texts:
        setting = Setting(text, experiment.parse(text))
        same = seen.setdefault(repr(sorted(setting.fields.items())), setting)
        if same is not setting:
            raise ValueError(f"the values {same.text} and {text} repeat one another: both are "
                             f"{setting.shown(experiment)}")
        settings.append(setting)
    return settings
