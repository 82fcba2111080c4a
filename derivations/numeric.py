"""Gradients as numbers, from sympy's brute-force derivatives: a third, machine-derived implementation.

``lambdify`` turns the per-sample loss and the brute-force derivatives of elementwise.derive into
one plain Python function (``math`` module), after every opaque activation has been replaced by
its written-out formula (activations.written_out).  No line of it is written by hand, so its
agreement with both trainers checks them against the calculus itself.

Conventions (parameter order, shapes, loss as a mean over the batch): backprop_lab.conventions.
"""

from functools import lru_cache

import numpy as np
import sympy as sp

from backprop_lab import options
from backprop_lab.network import has_bias, sizes_of
from derivations import elementwise, losses
from derivations.activations import alpha, written_out


def _shared_then_written_out(expressions):
    """sympy.cse, then every opaque activation written out in the (small) pieces it leaves.

    The forward pass recurs in every derivative, so cse computes each neuron once.  Writing the
    activations out only afterwards matters: a relu as a Piecewise of a whole weighted-input
    expression makes sympy examine the sign of that expression, which takes seconds per neuron.
    """
    pieces, reduced = sp.cse(expressions, symbols=sp.numbered_symbols("shared"))
    return [(name, written_out(piece)) for name, piece in pieces], [written_out(e) for e in reduced]


@lru_cache(maxsize=None)
def per_sample_function(sizes, bias, activation, loss):
    """f(*parameters, x_0, x_1, y, alpha) -> [l, dl/dtheta_1, ...] for one sample, theta in parameter order.

    The derivatives are sympy's brute force of the loss as defined (log form for BCE).
    """
    derivation = elementwise.derive(tuple(sizes), bias, activation, loss)
    net = derivation.net
    # The loss value in the code's finite form: log(1 - y_hat) would lose digits as y_hat -> 1.
    value = losses.per_sample_from_z(loss, net.z[net.output_layer][0], net.y)
    expressions = [value] + [derivation.brute_force[p.label] for p in net.parameters]
    arguments = [p.symbol for p in net.parameters] + list(net.x) + [net.y, alpha]
    return sp.lambdify(arguments, expressions, modules="math", cse=_shared_then_written_out)


def batch_gradient(params, X, Y, *, activation="sigmoid", loss="mse", leaky_slope=options.DEFAULT_LEAKY_SLOPE):
    """(L, [dL/dW1, dL/db1, ...]) for (X, Y) as one batch, like scalar_net.batch_gradient.

    L = (1/m) sum_s l_s, so every gradient is the mean over the samples of sympy's per-sample one.
    """
    f = per_sample_function(sizes_of(params), has_bias(params), activation, loss)
    flat = [float(v) for p in params for v in np.ravel(p)]  # row by row: the order of the symbols
    totals = np.zeros(1 + len(flat))
    for x, y in zip(np.asarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64)):
        totals += np.array(f(*flat, *x, y[0], float(leaky_slope)))
    totals /= len(X)
    grads, start = [], 1
    for p in params:
        grads.append(totals[start:start + p.size].reshape(p.shape))
        start += p.size
    return totals[0], grads
