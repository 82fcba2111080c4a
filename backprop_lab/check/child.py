"""The student's side of a check: imports their file and calls its functions when asked.

``backprop_lab.check.runner`` starts this file as a script in a child process of its own, so that
the student's code (an endless loop, a crash, a call to sys.exit) cannot hang or end the checker.
It uses the standard library and NumPy only, and imports nothing of backprop-lab: it starts in the
time NumPy takes, and the student's file finds its own folder first on sys.path, as when they run
it.  The same functions serve ``backprop_lab.check.check_gradients``, which calls a function in
the caller's process.

Messages both ways are pickled, each after its length (8 bytes, big-endian), on two pipes of
their own: whatever the student's code prints goes to the captured output, never into them.
A reply is ``{"value": ...}`` or ``{"failure": ...}`` (see ``failure``).
"""

import os
import pickle
import struct
import sys
import traceback
import types

import numpy as np

FUNCTIONS = ("gradients", "forward")
_HERE = os.path.abspath(__file__)


def _ours(filename):
    return os.path.abspath(filename) == _HERE or filename.startswith("<frozen ")


def student_traceback(error):
    """The traceback of ``error`` from the first frame that is not ours: the student's code and
    what it called, as Python prints it."""
    tb = error.__traceback__
    while tb is not None and _ours(tb.tb_frame.f_code.co_filename):
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(error), error, tb))


def _line_in(error, path):
    """The line of the student's file where ``error`` was raised (its last frame there), or None."""
    if isinstance(error, SyntaxError):
        return error.lineno
    line = None
    if path is not None:
        for frame, lineno in traceback.walk_tb(error.__traceback__):
            if os.path.abspath(frame.f_code.co_filename) == os.path.abspath(path):
                line = lineno
    return line


def failure(kind, message, error=None, path=None):
    """A failure reply.  kind: 'syntax', 'import', 'no_gradients', 'raised', 'not_implemented',
    'exited', 'bad_return'; message: what happened, one line; traceback: the student's, or ''."""
    return {"failure": kind, "message": message,
            "traceback": student_traceback(error) if error is not None and kind != "not_implemented" else "",
            "line": _line_in(error, path) if error is not None else None}


def _one_line(error):
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


#: The module name the student's file is imported under: not its file's name, which could be a
#: module NumPy imports (random.py, a student's copy of statistics.py).
MODULE = "backprop_lab_student"


def load(path):
    """Import the file at ``path`` as the module MODULE; (module, reply).

    Compiled under the path as given, so that a traceback names the file as the student named
    it (importlib would make it absolute).
    """
    module = types.ModuleType(MODULE)
    module.__file__ = path
    sys.modules[MODULE] = module
    try:
        with open(path, "rb") as f:
            source = f.read()
        exec(compile(source, path, "exec"), module.__dict__)  # noqa: S102 - running their file is the point
    except SyntaxError as error:
        detail = "".join(traceback.format_exception_only(type(error), error))
        reply = failure("syntax", f"a syntax error: {error.msg}", None, path)
        reply["traceback"], reply["line"] = detail, error.lineno
        return None, reply
    except SystemExit as error:
        return None, failure("exited", f"it calls sys.exit({error.code!r}) when imported", error, path)
    except BaseException as error:  # noqa: B902 - whatever their file raises is theirs to see
        return None, failure("import", f"importing it raises {_one_line(error)}", error, path)
    return module, {"value": [f for f in FUNCTIONS if callable(getattr(module, f, None))]}


def as_gradients(value):
    """What gradients returned, as a list of float64 arrays; or a failure reply."""
    if isinstance(value, dict):
        return failure("bad_return", "gradients returned a dict; return a list of arrays in the parameter "
                                     "order W1, b1, W2, ...")
    if not isinstance(value, (list, tuple)):
        return failure("bad_return", f"gradients returned {type(value).__name__}, not a list of arrays (one "
                                     "per parameter, in the order W1, b1, W2, ...)")
    arrays = []
    for k, item in enumerate(value):
        try:
            arrays.append(np.array(item, dtype=np.float64))
        except (TypeError, ValueError) as error:
            return failure("bad_return", f"gradients returned, as its array {k + 1}, {type(item).__name__} "
                                         f"that is not an array of numbers ({error})")
    return {"value": arrays}


def as_output(value):
    """What forward returned, as a float64 array; or a failure reply."""
    try:
        return {"value": np.array(value, dtype=np.float64)}
    except (TypeError, ValueError) as error:
        return failure("bad_return", f"forward returned {type(value).__name__}, not an array of numbers ({error})")


def call(function, name, args, path=None):
    """Call the student's ``function`` (its name ``name``) with ``args``; the reply."""
    try:
        value = function(*args)
    except NotImplementedError as error:
        reply = failure("not_implemented", f"{name} raises NotImplementedError", error, path)
        reply["function"], reply["text"] = name, str(error).strip()
        return reply
    except SystemExit as error:
        return failure("exited", f"{name} calls sys.exit({error.code!r})", error, path)
    except BaseException as error:  # noqa: B902
        return failure("raised", f"{name} raises {_one_line(error)}", error, path)
    return as_gradients(value) if name == "gradients" else as_output(value)


def _send(stream, message):
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack(">Q", len(data)) + data)
    stream.flush()


def _receive(stream):
    head = stream.read(8)
    if len(head) < 8:
        return None
    return pickle.loads(stream.read(struct.unpack(">Q", head)[0]))


def main(path, requests_fd, replies_fd):
    requests = os.fdopen(requests_fd, "rb")
    replies = os.fdopen(replies_fd, "wb")
    _send(replies, {"ready": True})  # Python and NumPy have started: from here on the time is the student's
    sys.path[0] = os.path.dirname(os.path.abspath(path))  # as `python their_file.py` would have it
    module, reply = load(path)
    _send(replies, reply)
    while module is not None:
        request = _receive(requests)
        if request is None:  # the checker is done
            return
        name, args = request
        _send(replies, call(getattr(module, name), name, args, path))  # plain text and arrays: it pickles


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
