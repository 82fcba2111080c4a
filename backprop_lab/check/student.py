"""The student's functions, as the check calls them: in this process, or in a child process.

Both give the replies of backprop_lab.check.child: ``{"value": ...}`` or a failure
``{"failure": kind, "message": ..., "traceback": ..., "line": ...}``; the child adds the kinds
'time_limit' (it ran too long and was stopped) and 'ended' (the process ended: a crash, os._exit).
"""

import signal

from backprop_lab.check import child
from backprop_lab.check.runner import STARTUP, Ended, Startup, TimeLimit


class InProcess:
    """Functions given from Python (backprop_lab.check.check_gradients)."""

    def __init__(self, gradients, forward=None):
        self._functions = {"gradients": gradients, "forward": forward}
        self.path = None

    def start(self):
        return {"value": [name for name, f in self._functions.items() if callable(f)]}

    def call(self, name, *args):
        return child.call(self._functions[name], name, args, _source_of(self._functions[name]))

    def printed(self):
        return ""


def _source_of(function):
    code = getattr(function, "__code__", None)
    return code.co_filename if code is not None else None


def _signal_name(number):
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


class InChild:
    """The functions of the file at ``path``, run by a StudentProcess with ``timeout`` seconds."""

    def __init__(self, process):
        self.process = process
        self.path = process.path

    def start(self):
        return self._guarded("importing the file", self.process.first_reply)

    def call(self, name, *args):
        return self._guarded(name, lambda: self.process.call(name, *args))

    def _guarded(self, what, receive):
        try:
            return receive()
        except Startup:
            self.process.kill_all()
            return {"failure": "time_limit", "traceback": "", "line": None,
                    "message": f"Python and NumPy did not start in {STARTUP:g} s in the process that would run it "
                               "(is the machine overloaded?)"}
        except TimeLimit:
            self.process.kill_all()  # at once: it may still be running
            return {"failure": "time_limit", "traceback": "", "line": None,
                    "message": f"{what} ran longer than the time limit of {self.process.timeout:g} s and was "
                               "stopped (a loop that never ends? --timeout sets the limit)"}
        except Ended as ended:
            how = (f"killed by {_signal_name(-ended.status)}" if ended.status < 0
                   else f"exit status {ended.status}")
            return {"failure": "ended", "traceback": "", "line": None,
                    "message": f"{what} ended the Python process running it ({how}): a crash, or os._exit"}

    def printed(self):
        return self.process.printed()
