"""What an interrupt does: Ctrl-C (SIGINT) exits 130, SIGTERM exits 143, and nothing is left behind.

Both signals are turned into exceptions (KeyboardInterrupt, Terminated), so every ``finally``
runs on the way out: backprop_lab.files removes its temporary files and folders.

Numba loads its cache (and compiles) partly inside ctypes callbacks, Python functions that
LLVM calls from C.  An exception raised inside one cannot reach the caller: ctypes prints
"Exception ignored on calling ctypes callback function" and returns nothing to LLVM, which then
goes on without the cached code: the run either goes on for minutes as if no Ctrl-C had come,
or crashes (a segmentation fault, in numba's set_env).  So a signal that lands inside such a
callback is not raised there: it is recorded, and raised RETRY_SECONDS later (by SIGALRM), once
the callback has returned.  For any other callback that swallows it, the message is silenced for
these two exceptions only, and ``raise_pending()`` raises the signal again: the commands call it
after every call into compiled code, and ``main`` before it returns, so a recorded signal never
ends in exit status 0.
"""

import os
import signal
import sys
import threading
from contextlib import contextmanager

#: Source files whose functions LLVM calls back through ctypes (numba's object cache hooks).
CALLBACK_SOURCES = ("llvmlite/binding/executionengine.py",)
RETRY_SECONDS = 0.02

EXIT_INTERRUPTED = 128 + signal.SIGINT  # 130, the shell's convention
EXIT_TERMINATED = 128 + signal.SIGTERM  # 143


class Terminated(BaseException):
    """SIGTERM, raised like KeyboardInterrupt: outside ``Exception``, so no ``except Exception`` eats it."""


_pending = None  # the exception class of the signal that arrived, once one has
_delivered = False  # whether it has been raised where it can propagate


def _inside_callback(frame):
    """Whether Python is running inside a callback from LLVM (see above)."""
    while frame is not None:
        if frame.f_code.co_filename.replace(os.sep, "/").endswith(CALLBACK_SOURCES):
            return True
        frame = frame.f_back
    return False


def _deliver():
    global _delivered
    _delivered = True
    raise _pending()


def _raise_outside_callbacks(frame):
    if _inside_callback(frame):
        signal.setitimer(signal.ITIMER_REAL, RETRY_SECONDS)  # try again once it has returned
        return
    _deliver()


def _on_signal(signum, frame):
    global _pending, _delivered
    if _delivered:  # a second Ctrl-C while the first is answered: the run is already stopping, and
        return  # raising again would cut short the clean-up (workers stopped, temporary files removed)
    _pending, _delivered = (KeyboardInterrupt if signum == signal.SIGINT else Terminated), False
    _raise_outside_callbacks(frame)


def _on_retry(signum, frame):
    if _pending is not None and not _delivered:  # not yet raised by raise_pending()
        _raise_outside_callbacks(frame)


def _quiet_about_signals(hook):
    """sys.unraisablehook that drops our two exceptions (recorded in _pending) and passes on the rest."""
    def unraisable(report):
        if isinstance(report.exc_value, (KeyboardInterrupt, Terminated)):
            return
        hook(report)
    return unraisable


def raise_pending():
    """Raise the signal again if its exception was swallowed by code called from C (see above)."""
    if _pending is not None:
        _deliver()


@contextmanager
def handled(exiting=False):
    """SIGINT and SIGTERM raise (and are recorded) inside the block; the previous handlers after it.

    ``exiting``: the process ends after the block (a command's entry point).  If a signal came,
    further ones are then ignored instead: the interpreter's shutdown joins the worker pool's
    threads, and a second Ctrl-C there printed a traceback and replaced the exit status 130.
    """
    global _pending, _delivered
    _pending, _delivered = None, False
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return
    previous = {number: signal.signal(number, _on_signal) for number in (signal.SIGINT, signal.SIGTERM)}
    previous[signal.SIGALRM] = signal.signal(signal.SIGALRM, _on_retry)
    previous_hook, sys.unraisablehook = sys.unraisablehook, _quiet_about_signals(sys.unraisablehook)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        stopping = exiting and _pending is not None
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_IGN if stopping and number != signal.SIGALRM else handler)
        sys.unraisablehook = previous_hook
