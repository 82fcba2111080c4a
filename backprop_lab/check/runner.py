"""The checker's side of a student's child process: start it, ask it, stop it, leave nothing behind.

The child (backprop_lab.check.child) runs in a session of its own, so that it and everything it
starts form one process group; leaving the context kills that group with SIGKILL, whatever the child did
(an endless loop, processes of its own, a signal handler that ignores SIGTERM), and reaps the
child.  Only a process that leaves the group on purpose (a new session of its own) escapes.

The time limit counts the time the checker waits for the student's code: importing their file
and running their functions; not the start of Python and NumPy in the child (which has a limit
of its own, STARTUP), nor the checker's own work between the calls.  What the student's
code prints is kept in a temporary file, and its last lines are shown when their code fails.
"""

import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = str(Path(__file__).with_name("child.py"))

#: Lines of the student's printed output shown with a failure.
SHOWN_OUTPUT_LINES = 10
#: Seconds the checker waits, at most, for the killed processes to be gone.
GROUP_GONE = 2.0
#: Seconds the child may take to start Python and import NumPy, before the student's file.
STARTUP = 120.0


class TimeLimit(Exception):
    """The student's code ran longer than the limit."""


class Startup(Exception):
    """Python and NumPy did not start in the child within STARTUP seconds (a machine far too busy)."""


class Ended(Exception):
    """The child process ended before it replied: ``status`` as subprocess gives it (a negative
    status is the signal that ended it)."""

    def __init__(self, status):
        super().__init__(status)
        self.status = status


class StudentProcess:
    """The student's file at ``path``, imported in a child process; a context manager."""

    def __init__(self, path, timeout):
        self.path, self.timeout = str(path), float(timeout)
        self.process = None
        self.waited = 0.0  # seconds spent waiting for the child
        self.loaded = None

    def __enter__(self):
        self.output = tempfile.TemporaryFile()
        requests_read, self._requests = os.pipe()
        self._replies, replies_write = os.pipe()
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")  # no __pycache__ beside a student's file
        try:
            self.process = subprocess.Popen(
                [sys.executable, CHILD, self.path, str(requests_read), str(replies_write)],
                stdin=subprocess.DEVNULL, stdout=self.output, stderr=self.output, env=env,
                pass_fds=(requests_read, replies_write), start_new_session=True)
        finally:
            os.close(requests_read)
            os.close(replies_write)
        return self

    @property
    def pid(self):
        return self.process.pid

    def first_reply(self):
        """The child's reply to the import of the file (backprop_lab.check.child.load).

        Raises Startup if Python and NumPy did not start in the child within STARTUP seconds."""
        try:
            self._receive(startup=True)  # {"ready": True}
        except TimeLimit:
            raise Startup() from None
        return self._receive()

    def call(self, name, *args):
        """The reply of the student's function ``name`` called with ``args``."""
        data = pickle.dumps((name, args), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            os.write(self._requests, struct.pack(">Q", len(data)) + data)  # small: fits the pipe's buffer
        except BrokenPipeError:
            raise Ended(self._end()) from None
        return self._receive()

    def _read(self, n, startup=False):
        """n bytes from the child; the time waited counts against the student's limit unless ``startup``."""
        chunks, got = [], 0
        started = 0.0
        while got < n:
            left = STARTUP - started if startup else self.timeout - self.waited
            start = time.monotonic()
            ready, _, _ = select.select([self._replies], [], [], max(left, 0.0))
            if startup:
                started += time.monotonic() - start
            else:
                self.waited += time.monotonic() - start
            if not ready:
                raise TimeLimit()
            chunk = os.read(self._replies, n - got)
            if not chunk:
                raise Ended(self._end())
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def _receive(self, startup=False):
        (length,) = struct.unpack(">Q", self._read(8, startup))
        return pickle.loads(self._read(length, startup))

    def _end(self):
        """Kill what is left of the child's group; the child's exit status."""
        self.kill_all()
        return self.process.wait()

    def kill_all(self):
        """SIGKILL to the child's whole process group."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):  # the group is gone already
            pass

    def _wait_for_the_group(self):
        """Return once every process of the child's group has died: SIGKILL is delivered when the
        kernel gets to it, not when killpg returns.  (A member that has died but that its new
        parent, the init process, has not reaped yet still counts; after GROUP_GONE seconds the
        checker stops waiting for it.)"""
        deadline = time.monotonic() + GROUP_GONE
        while time.monotonic() < deadline:
            try:
                os.killpg(self.process.pid, 0)
            except (ProcessLookupError, PermissionError):
                return
            time.sleep(0.005)

    def printed(self):
        """The last lines the student's code printed (stdout and stderr), or ''."""
        self.output.seek(0)
        lines = self.output.read().decode("utf-8", "replace").splitlines()
        return "\n".join(lines[-SHOWN_OUTPUT_LINES:])

    def __exit__(self, *exc):
        if self.process is not None:
            self.kill_all()  # the whole group, before the child is reaped: its id cannot be reused yet
            self.process.wait()
            self._wait_for_the_group()
        for fd in (self._requests, self._replies):
            try:
                os.close(fd)
            except OSError:
                pass
        self.output.close()
        return False
