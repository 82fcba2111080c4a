"""The network drawn as the lab draws it, with one traced step's numbers on it.

Two panels side by side, the same network in each: the forward pass (every edge a weight w,
every neuron its z and a) and the backward pass (every edge its gradient dL/dw, every neuron its
delta = dL/dz).  Edge colour is the sign and size of the number on a diverging map (blue
positive, red negative, with a colour bar), edge width its size.  Up to SMALL neurons per layer
every edge is labelled; up to MEDIUM only the neurons; wider nets are drawn without numbers.
"""

import matplotlib
import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize

from backprop_lab.figures.new import new_figure
from backprop_lab.formatting import point_written

SMALL, MEDIUM = 6, 12
CMAP = "RdBu"  # red negative, blue positive
#: The colour scale's largest end: beyond it a span (2 * limit) would overflow; larger numbers
#: take the scale's end colour.
LARGEST = 1e300
#: The tallest panel, in inches: wider layers put their neurons closer together.  (A panel grown
#: with the width made --hidden 300 300 a 23,000-pixel image that took four minutes to draw.)
MAX_PANEL_HEIGHT = 12
#: The most edges a panel draws (the largest |number|s, NaN and inf among them); the title says
#: how many of how many.  --hidden 300 300 has 90,600 per panel: drawn, they took 100 s.
MAX_EDGES = 5000
NOT_FINITE = "#9e9e9e"  # an edge whose number is NaN or infinite: grey and dashed


def _finite_largest(matrices):
    """The largest finite |number| of ``matrices`` (0 when none is)."""
    finite = [np.abs(M[np.isfinite(M)]) for M in matrices]
    return max((float(np.max(f)) for f in finite if f.size), default=0.0)


def not_finite_count(step):
    """How many of the numbers ``figure`` draws on edges are NaN or infinite."""
    Ws = step.params[0::2] if step.bias else step.params
    gWs = step.elementwise.grads[0::2] if step.bias else step.elementwise.grads
    return sum(int(np.sum(~np.isfinite(M))) for M in (*Ws, *gWs))


def positions(sizes):
    """(x, y) of neuron k of layer l: layers in columns left to right, neuron 0 at the top."""
    return [[(float(l), (n - 1) / 2 - k) for k in range(n)] for l, n in enumerate(sizes)]


def node_size(widest):
    """Marker area (points²) of a neuron: smaller when layers are wide."""
    return 700 if widest <= SMALL else 260 if widest <= MEDIUM else 60


def _fmt(value):
    return f"{value:.3g}"


def _drawn(matrices):
    """Per layer, the (i, j) of the edges to draw: all of them, or, past MAX_EDGES in all, those of
    the largest |number| (NaN and inf first, as the largest).  Chosen with array operations, so
    that a net of millions of weights costs a sort, not a Python loop over every edge."""
    sizes = [np.where(np.isfinite(M), np.abs(M), np.inf) for M in matrices]
    total = sum(M.size for M in matrices)
    if total <= MAX_EDGES:
        return [np.indices(M.shape).reshape(2, -1).T for M in matrices], total
    every = np.concatenate([S.ravel() for S in sizes])
    least = np.partition(every, total - MAX_EDGES)[total - MAX_EDGES]
    return [np.argwhere(S >= least) for S in sizes], total


def _edges(ax, pos, matrices, norm, label_edges):
    """One line per weight, coloured and sized by ``matrices[l-1][i, j]``; labelled if asked.
    Unlabelled (wide) layers are drawn as one LineCollection: a line artist per edge took more
    than 200 s for --hidden 300 300, the collection a second."""
    cmap = matplotlib.colormaps[CMAP]
    biggest = _finite_largest(matrices) or 1.0
    chosen, total = _drawn(matrices)
    segments, colours, widths, styles = [], [], [], []
    for l, (M, edges) in enumerate(zip(matrices, chosen), start=1):
        fan_in = M.shape[0]
        values = M[edges[:, 0], edges[:, 1]]
        mapped = cmap(norm(values))  # one call for the layer: a call per edge took 2 of 5 s at 300 x 300
        for (i, j), value, rgba in zip(edges, values.tolist(), mapped):
            (x0, y0), (x1, y1) = pos[l - 1][i], pos[l][j]
            finite = np.isfinite(value)
            colour = tuple(rgba) if finite else NOT_FINITE
            width = 0.6 + 4.4 * (abs(value) / biggest) if finite else 1.5
            if not label_edges:
                segments.append(((x0, y0), (x1, y1)))
                colours.append(colour)
                widths.append(width)
                styles.append("solid" if finite else "dashed")
                continue
            ax.plot([x0, x1], [y0, y1], color=colour, lw=width, ls="-" if finite else "--", zorder=1,
                    solid_capstyle="round")
            # Spread the labels along the edges by their source neuron, so labels of edges
            # that leave one neuron sit in a column and those entering one neuron do not collide.
            t = 0.3 + 0.4 * (i / (fan_in - 1) if fan_in > 1 else 0.5)
            ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0), _fmt(value), fontsize=7.5,
                    ha="center", va="center", zorder=3,
                    bbox=dict(boxstyle="round,pad=0.12", fc="white", ec=colour, lw=0.6, alpha=0.9))
    if segments:
        ax.add_collection(LineCollection(segments, colors=colours, linewidths=widths, linestyles=styles,
                                         zorder=1, capstyle="round"))
    return len(segments) if not label_edges else sum(len(edges) for edges in chosen), total


def _neurons(ax, pos, labels, fontsize, widest):
    """A circle per neuron, its numbers in a box just below it."""
    for layer, layer_labels in zip(pos, labels):
        xs, ys = zip(*layer)
        ax.scatter(xs, ys, s=node_size(widest), c="#f2f2f2", edgecolors="black", linewidths=1.0, zorder=4)
        for (x, y), text in zip(layer, layer_labels):
            if text:
                ax.annotate(text, (x, y), xytext=(0, -np.sqrt(node_size(widest)) / 2 - 2), textcoords="offset points",
                            ha="center", va="top", fontsize=fontsize, zorder=5,
                            bbox=dict(boxstyle="round,pad=0.2", fc="#fffbe6", ec="#c8b560", lw=0.6))


def _layer_names(ax, sizes):
    """Each layer's name above its column, as the x axis's labels (so the layout makes room for them)."""
    output = "output (softmax)" if sizes[-1] > 1 else "output"
    names = ["inputs" if l == 0 else output if l == len(sizes) - 1 else f"hidden layer {l}" for l in range(len(sizes))]
    ax.set_xticks(range(len(sizes)), [f"layer {l}: {name}" for l, name in enumerate(names)], fontsize=9)
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def _panel(ax, fig, sizes, matrices, node_labels, title, bar_label):
    pos = positions(sizes)
    widest = max(sizes)
    limit = min(_finite_largest(matrices), LARGEST) or 1.0
    norm = Normalize(-limit, limit, clip=True)
    drawn, total = _edges(ax, pos, matrices, norm, widest <= SMALL)
    if drawn < total:  # what could not be drawn, said
        title += f"\n(the {drawn:,} edges of largest |number| of {total:,} drawn)"
    _neurons(ax, pos, node_labels if widest <= MEDIUM else [[""] * n for n in sizes],
             8 if widest <= SMALL else 6.5, widest)
    _layer_names(ax, sizes)
    ax.set_title(title, fontsize=11)
    ax.set_xlim(-0.5, len(sizes) - 0.5)
    ax.set_ylim(-(widest - 1) / 2 - 0.7, (widest - 1) / 2 + 0.3)
    bar = fig.colorbar(ScalarMappable(norm=norm, cmap=CMAP), ax=ax, shrink=0.7, pad=0.01)
    bar.set_label(bar_label)
    return bar


def _labels(step, sample):
    """Per-neuron label text: (forward panel, backward panel), for one sample of the batch."""
    t, L = step.elementwise, len(step.sizes) - 1
    bs = step.params[1::2] if step.bias else None
    forward = [[f"x{i} = {_fmt(t.A[0][sample, i])}" for i in range(step.sizes[0])]]
    backward = [[f"x{i}" for i in range(step.sizes[0])]]
    brief = max(step.sizes) > SMALL  # wide layers: only a, to keep the boxes apart
    for l in range(1, L + 1):
        fwd, bwd = [], []
        for j in range(step.sizes[l]):
            name = "a" if l < L else f"ŷ[{j}]" if step.sizes[L] > 1 else "ŷ"  # K outputs: class j's probability
            a = f"{name} = {_fmt(t.A[l][sample, j])}"
            bias = f"\nb = {_fmt(bs[l - 1][j])}" if bs is not None else ""
            fwd.append(a if brief else f"z = {_fmt(t.Z[l][sample, j])}\n{a}{bias}")
            bwd.append(f"δ = {_fmt(t.Delta[l][sample, j])}")
        forward.append(fwd)
        backward.append(bwd)
    return forward, backward


def figure(step):
    """The diagram of ``step`` (a backprop_lab.commands.trace.step.Step) as a matplotlib Figure:
    axes[0] the forward pass, axes[1] the backward pass."""
    sizes = step.sizes
    Ws = step.params[0::2] if step.bias else step.params
    gWs = step.elementwise.grads[0::2] if step.bias else step.elementwise.grads
    widest = max(sizes)
    m = step.X.shape[0]
    forward, backward = _labels(step, 0)
    panel_height = min(MAX_PANEL_HEIGHT,
                       max(3.5, (1.1 if widest <= SMALL else 0.55 if widest <= MEDIUM else 0.25) * widest + 1.8))
    fig = new_figure(figsize=(3.2 * len(sizes) + 1.5, 2 * panel_height + 0.6), layout="constrained")
    axes = fig.subplots(2, 1)
    _panel(axes[0], fig, sizes, Ws, forward, "Forward pass: the weight w on each edge; z, a = g(z)"
           + (" and the bias b" if step.bias else "") + " in each neuron", "weight w (blue positive, red negative)")
    _panel(axes[1], fig, sizes, gWs, backward, "Backward pass: the gradient ∂L/∂w on each edge; δ = ∂L/∂z in each "
           "neuron (its bias's gradient ∂L/∂b is δ too)" if step.bias else "Backward pass: the gradient ∂L/∂w on each "
           "edge; δ = ∂L/∂z in each neuron", "gradient ∂L/∂w (blue positive, red negative)")
    net = "-".join(map(str, sizes))
    if m == 1:
        x = step.X[0]
        batch = f"{step.labels[0]} ({point_written(x, _fmt)}, y = {_fmt(step.Y[0, 0])})"
    else:
        batch = (f"a batch of {m}; neurons show {step.labels[0]} ({point_written(step.X[0], _fmt)}), "
                 "edges the gradient summed over the batch")
    wide = ("" if widest <= SMALL else "\nat this width the edges carry no numbers and the neurons only a and δ"
            if widest <= MEDIUM else "\nat this width the edges and the neurons carry no numbers")
    left_out = not_finite_count(step)
    if left_out:  # drawn as what they are: no colour or width can show them
        wide += (f"\n{left_out} of the numbers on the edges are not finite (NaN or ±inf): those edges are "
                 "grey and dashed")
    output = " / softmax output" if sizes[-1] > 1 else ""
    fig.suptitle(f"One step of backpropagation on the {net} network ({step.config.activation} hidden{output}, "
                 f"{step.config.loss} loss): loss L = {_fmt(step.elementwise.loss)}\n{batch}{wide}", fontsize=11)
    return fig
