"""How much memory a run needs, estimated from its sizes before anything is allocated.

A command adds up what it will hold (each trainer's ``memory_bytes``, ``data_bytes``, ``history_bytes``) and
calls ``refusal(needed, allow_large)``: a run that needs more than DEFAULT_LIMIT is refused unless
the user passes ``--allow-large``, and one that needs more than the machine can give is refused
in any case, with one line that says how much it would need.  The estimates are upper bounds of
the arrays the code allocates, not measurements; Python's own few tens of MB are not counted.
"""

import os

FLOAT = 8  # bytes of a float64
LISTED_FLOAT = 32  # a float in a Python list: the 24-byte object and its 8-byte pointer
JSON_NUMBER = 26  # a float written by json.dump with indent=1: up to 24 digits, a comma, a newline
#: A worker process of experiment's pool beyond its run's arrays: a forked Python with NumPy and
#: Numba's compiled trainer, the pages it writes to (a thousand workers took 3.7 GiB).
WORKER_BYTES = 16 * 2**20
#: One run of an experiment beyond its history: its task, its result and its record in runs.json.
RUN_RECORD = 4096
DEFAULT_LIMIT = 2 * 2**30  # 2 GiB: far above the lab's runs (a few MB), below a laptop's memory


def data_bytes(n, sizes, batch_size):
    """The data set (X and y, and a float64 copy), matrix_net's per-batch activations, deltas and
    their temporaries (about 6 per neuron and sample), and the predictions over the whole set."""
    batch = n if batch_size is None else batch_size
    neurons = sum(sizes)
    return FLOAT * (2 * 3 * n + 6 * batch * neurons + 3 * n * neurons)


def history_bytes(epochs, trainers=2, json=False):
    """The per-epoch loss and accuracy of each trainer: a NumPy array and a Python list of them,
    and with ``json`` the document's text."""
    values = 2 * trainers * epochs
    return values * (FLOAT + LISTED_FLOAT + (2 * JSON_NUMBER if json else 0))


def available():
    """Bytes this process may use: the machine's memory, or less under a ulimit."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        total = None
    try:
        import resource  # POSIX only
    except ImportError:
        return total
    for limit in (resource.RLIMIT_AS, resource.RLIMIT_DATA):
        soft = resource.getrlimit(limit)[0]
        if soft != resource.RLIM_INFINITY:
            total = soft if total is None else min(total, soft)
    return total


def human(n_bytes):
    """1.5 GiB, 224 GiB, 7.3 TiB."""
    value = float(n_bytes)
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if value < 1024 or unit == "PiB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.3g} {unit}"
        value /= 1024


def refusal(needed, allow_large=False):
    """Why a run needing ``needed`` bytes may not start, or ''."""
    limit = available()
    if limit is not None and needed > limit:
        return f"this run would need about {human(needed)} of memory; this machine allows {human(limit)}"
    if needed > DEFAULT_LIMIT and not allow_large:
        return (f"this run would need about {human(needed)} of memory, more than the {human(DEFAULT_LIMIT)} "
                "allowed by default; add --allow-large if you mean it")
    return ""


#: The images a boundary panel keeps while its figure is drawn (its class or output image, how
#: sure it is, the ground truth, and one more in drawing), each a float over the grid.
PANEL_IMAGES = 4


def picture_bytes(sizes, grid_points=200 * 200, snapshots=0):
    """compare's pictures: every layer's pre-activations and activations over the grid, twice (the
    neuron maps, and the forward pass of the boundary while the maps' are still held: 2 per neuron
    were estimated 1.6 GiB for --hidden 2000 where the peak was 2.6 GiB), a few (ny, nx) images,
    and, for an animation, one copy of the parameters per snapshot."""
    weights = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
    return FLOAT * (4 * grid_points * sum(sizes) + 8 * grid_points + snapshots * weights)


def diagram_bytes(sizes):
    """trace's diagram: per panel (weights, gradients), each weight's |number|, their
    concatenation and its partition to find the MAX_EDGES largest, and the mask that picks them
    (backprop_lab.figures.diagram); the few thousand lines it draws are not counted."""
    weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    return 2 * (3 * FLOAT + 1) * weights
