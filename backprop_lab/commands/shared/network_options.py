"""The options that shape the network a student writes, shared by ``check`` and ``exercise``.

They are compare's (``--hidden``, ``--no-bias``, ``--activation``, ``--leaky-slope``, ``--loss``),
with the same types and defaults.
"""

from backprop_lab import options
from backprop_lab.commands.shared.argument_types import finite_number, positive_int


def add_network_options(p):
    """compare's options that shape the network (--hidden, --no-bias, --activation, --leaky-slope, --loss)."""
    p.add_argument("--hidden", type=positive_int, nargs="+", default=[4, 4], metavar="WIDTH",
                   help="hidden layer widths (default: 4 4)")
    p.add_argument("--no-bias", dest="bias", action="store_false", help="the lab spec's network without biases (default: with biases)")
    p.add_argument("--activation", choices=options.ACTIVATIONS, default="sigmoid",
                   help="the hidden layers' activation; the output is always a sigmoid (default: sigmoid)")
    p.add_argument("--leaky-slope", type=finite_number, default=options.DEFAULT_LEAKY_SLOPE,
                   help=f"leaky ReLU's slope for z < 0 (default: {options.DEFAULT_LEAKY_SLOPE})")
    p.add_argument("--loss", choices=options.LOSSES, default="mse",
                   help="mean squared error, half of it (half-mse, L = (1/2m) sum of squares: Nielsen's) or binary "
                        "cross-entropy (default: mse)")


def network_options_text(args):
    """The network options as given on the command line, for a command to repeat ('' for the defaults)."""
    parts = []
    if tuple(args.hidden) != (4, 4):
        parts.append("--hidden " + " ".join(map(str, args.hidden)))
    if not args.bias:
        parts.append("--no-bias")
    if args.activation != "sigmoid":
        parts.append(f"--activation {args.activation}")
    if args.activation == "leaky-relu" and args.leaky_slope != options.DEFAULT_LEAKY_SLOPE:
        parts.append(f"--leaky-slope {args.leaky_slope!r}")
    if args.loss != "mse":
        parts.append(f"--loss {args.loss}")
    return " ".join(parts)


def network_of(args):
    from backprop_lab.check import Network

    return Network((2, *args.hidden, 1), args.bias, args.activation, args.loss, args.leaky_slope)
