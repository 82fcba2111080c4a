"""A recipe per data set: a network, optimizer, step size and length with which both trainers
reach the stated training accuracy from seed 1 (tests/test_datasets.py checks every row but the
digits', whose 400 epochs over 1,797 images take seconds: docs/data.md gives its run), and the
sets of the plane did from seeds 1 to 5 when the table was made.  ``compare`` uses a data set's recipe for every
option not given on the command line.  All use sigmoid hidden layers, and the MSE loss for two
classes, cross-entropy for K (the digits; spiral and gaussian with --classes take their own).

A recipe's step size belongs to its optimizer: STEP_SIZE is the one that suits each optimizer
(``experiment optimizer`` runs them at it), and ``step_size`` gives it to an optimizer that is
not the recipe's when no step size is given.
"""

from dataclasses import dataclass

#: The step size that suits each optimizer on the lab's network (XOR, sigmoid, MSE, full batch,
#: 5000 epochs, seeds 1-10).  Gradient descent: the lab's 1, at which every seed reaches 100%.
#: Momentum (0.9) adds up about 1 / (1 - 0.9) = 10 gradients, so 0.1 gives it the same effective
#: step as gradient descent's.  Adam moves each weight by about lr per step whatever the
#: gradient's size: 0.1 is the largest of 0.01, 0.03, 0.1, 0.3, 1 at which no seed's loss ever
#: rose by more than 10% from one epoch to the next (at 0.3 they did, at 1 no seed learned XOR).
STEP_SIZE = {"sgd": 1.0, "momentum": 0.1, "adam": 0.1}


@dataclass(frozen=True)
class Recipe:
    hidden: tuple
    optimizer: str
    lr: float
    epochs: int
    samples: int  # points generated (xor always has its 21)
    accuracy: float  # the training accuracy both trainers reach, at least
    why: str = ""

    @property
    def options(self):
        """The recipe as Config fields."""
        return dict(hidden=self.hidden, optimizer=self.optimizer, lr=self.lr, epochs=self.epochs,
                    samples=self.samples)


RECIPES = {
    "linear": Recipe((4, 4), "sgd", 1.0, 10_000, 100, 0.99, "the lab's network and step size"),
    "xor": Recipe((4, 4), "sgd", 1.0, 10_000, 21, 1.0, "the lab's network and step size"),
    "chessboard": Recipe((16, 16), "adam", 0.03, 2000, 200, 0.95,
                         "16 squares need many lines; plain gradient descent stalls near 65% for thousands of epochs"),
    "circle": Recipe((8, 8), "sgd", 2.0, 1500, 200, 0.95, "a ring of lines around the centre"),
    "spiral": Recipe((8, 8), "adam", 0.05, 2000, 200, 0.95,
                     "plain gradient descent needs a 16-16 net and 5000 epochs for the same"),
    "moons": Recipe((8, 8), "sgd", 2.0, 1500, 200, 0.95, "two bends"),
    "gaussian": Recipe((4, 4), "sgd", 1.0, 300, 200, 0.99, "one line separates the blobs"),
    "digits": Recipe((64,), "adam", 0.01, 400, 1797, 0.99,
                     "one hidden layer as wide as the image; 98% on held-out digits (--test-fraction 0.2)"),
}

#: For a CSV file: the lab's network, as for the lab's sets.
CSV_RECIPE = Recipe((4, 4), "sgd", 1.0, 10_000, 0, 0.0, "the lab's network; no accuracy is promised")


def recipe_for(dataset, csv=False):
    """The recipe of ``dataset`` (or for a CSV file)."""
    return CSV_RECIPE if csv else RECIPES[dataset]


def step_size(recipe, optimizer):
    """The step size for ``optimizer`` when none is given: the recipe's own for the recipe's
    optimizer, else the one that suits ``optimizer`` (STEP_SIZE)."""
    return recipe.lr if optimizer == recipe.optimizer else STEP_SIZE[optimizer]
