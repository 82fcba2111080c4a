"""The element-wise trainer as plain Python: the same source, in a process with NUMBA_DISABLE_JIT=1.

numba reads NUMBA_DISABLE_JIT when it is imported, so the plain-Python run needs a process of
its own.  ``Worker`` starts one (``python benchmarks/pure_python.py``) that serves training
requests over a pipe, one JSON line each way, and times each request inside itself.  The round
trip through the pipe costs well under a millisecond against rounds of ~50 ms; the time measured
inside the process is kept as well (``inside_seconds``).
"""

import atexit
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


class Worker:
    """One plain-Python training process, started on first use and stopped at exit."""

    _instance = None

    def __init__(self):
        env = dict(os.environ, NUMBA_DISABLE_JIT="1")
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve())], cwd=REPO, env=env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=1)
        atexit.register(self.close)

    @classmethod
    def shared(cls):
        if cls._instance is None or cls._instance.process.poll() is not None:
            cls._instance = cls()
        return cls._instance

    def train(self, spec, epochs):
        """(wall seconds and CPU seconds inside the worker, last epoch's loss) for ``epochs``
        epochs of ``spec``."""
        self.process.stdin.write(json.dumps({"workload": spec, "epochs": epochs}) + "\n")
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the plain-Python worker died (exit status {self.process.poll()})")
        reply = json.loads(line)
        if "error" in reply:
            raise RuntimeError(f"plain-Python worker: {reply['error']}")
        return reply["seconds"], reply["cpu_seconds"], reply["loss"]

    def close(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=30)


def prepare(workload):
    """A function that trains for ``epochs`` in the plain-Python process.  It keeps what was
    measured inside that process: ``inside_seconds`` (per epoch, one entry a call) and
    ``last_inside``, the last call's (wall seconds, CPU seconds) there, from which timing.py
    judges the share of a core the process got in its fastest round."""
    worker = Worker.shared()
    spec = workload.spec()

    def run(epochs):
        seconds, cpu_seconds, loss = worker.train(spec, epochs)
        run.last_inside = (seconds, cpu_seconds)
        run.inside_seconds.append(seconds / epochs)
        return loss

    run.inside_seconds = []
    run.last_inside = None
    return run


def serve():
    """Answer {"workload": spec, "epochs": E} lines with {"seconds", "cpu_seconds", "loss"} lines."""
    sys.path.insert(0, str(REPO))
    import numba

    import scalar_net
    from benchmarks.workloads import LR, from_spec
    from scalar_net import training

    if not numba.config.DISABLE_JIT or isinstance(training.train_loop, numba.core.dispatcher.Dispatcher):
        print(json.dumps({"error": "numba is compiling: NUMBA_DISABLE_JIT=1 did not take effect"}), flush=True)
        return
    for line in sys.stdin:
        request = json.loads(line)
        workload = from_spec(request["workload"])
        params, (X, Y) = workload.params(), workload.data()
        start, start_cpu = time.perf_counter(), time.process_time()
        result = scalar_net.train(params, X, Y, lr=LR, epochs=request["epochs"], batch_size=workload.batch_size)
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - start_cpu
        print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "loss": float(result.loss[-1])}),
              flush=True)


if __name__ == "__main__":
    serve()
