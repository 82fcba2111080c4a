"""Run as a fresh process: import the element-wise trainer and train one epoch at the lab's size.

Prints one JSON line: seconds to import scalar_net, seconds for the first one-epoch ``train``
(compiling it, or loading it from numba's cache), and the cache's hits and misses for the
compiled training loop.  bench_startup.py runs it with NUMBA_CACHE_DIR set.
"""

import time

start = time.perf_counter()

import json  # noqa: E402

import scalar_net  # noqa: E402

imported = time.perf_counter()

from backprop_lab.data import generate_linear  # noqa: E402
from backprop_lab.network import init_params  # noqa: E402
from scalar_net.training import train_loop  # noqa: E402

X, Y = generate_linear(100, 0)
scalar_net.train(init_params((2, 4, 4, 1), seed=0), X, Y, lr=0.5, epochs=1)
done = time.perf_counter()
stats = train_loop.stats
print(json.dumps({"import_s": imported - start, "first_epoch_s": done - imported,
                  "cache_hits": sum(stats.cache_hits.values()), "cache_misses": sum(stats.cache_misses.values())}))
