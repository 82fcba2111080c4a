"""Files are written whole or not at all, and every output is checked before any work starts.

A command declares its outputs once, ``check_outputs([("--json", path), ...])``, before it trains
or derives anything: every problem that can be seen in advance (a name too long, a trailing
slash, a missing folder, a folder where a file should go, the same file named twice, a target
that cannot be replaced, a name the terminal cannot print) is then one ``OutputError`` naming the
option and the problem.  What can only fail while writing (a full disk) still leaves nothing
half-written:

- ``atomic_path`` / ``write_json`` / ``write_text``: one file, into a temporary file beside the
  target, then renamed over it.  The temporary is removed on any exception, including the
  KeyboardInterrupt and ``Terminated`` that backprop_lab.commands.signals raises on SIGINT/SIGTERM.
- ``outputs()``: the outputs of one run (files, folders, any missing folders above them), each
  staged as a temporary when it is given, all renamed into place together at the end, after the
  last thing that can fail (standard output is flushed first), or none (``Outputs``).  Every
  command writes through it; ``write_files``, ``write_folder``, ``write_text`` and ``write_json``
  are one-output runs of it.
- A folder is built as a temporary sibling folder and swapped in with two renames, so a reader
  sees the old folder or the new one, never a mix; the current folder (``--out .``) is never
  renamed away, and a link to a folder is written through.

JSON is strict: ``write_json`` refuses NaN and infinities, which are not JSON.

Inputs are read by one reader per kind of file (a CSV file of points, a JSON file of weights, a
benchmark run), each through ``read_input``: the file is read once (a FIFO cannot be read
twice), a device (/dev/zero) is refused, and so is a file larger than the reader's limit, before
it fills the memory; ``parse_json`` refuses what nests deeper than MAX_DEPTH and numbers longer
than MAX_NUMBER, which Python's JSON reader would only answer with RecursionError, its int-string
limit, or an int too large for a float.  Each problem is an ``InputError`` naming the file.
"""

import json
import os
import re
import shutil
import signal
import stat
import struct
import sys
import tempfile
from contextlib import contextmanager

#: Temporary names: PREFIX + 8 random characters + the target's extension (at most SUFFIX_MAX
#: characters of it, so a long name cannot make its temporary's name too long).
PREFIX = ".tmp-"
SUFFIX_MAX = 16
_TEMPORARY_EXTRA = len(PREFIX) + 8 + SUFFIX_MAX

_FS_IOC_GETFLAGS = 0x80086601  # Linux ioctl: the file's attributes, as chattr sets them
_IMMUTABLE_OR_APPEND_ONLY = 0x00000010 | 0x00000020  # FS_IMMUTABLE_FL | FS_APPEND_FL


class OutputError(ValueError):
    """An output that cannot be written, found before any work: one line naming the option and why."""


class InputError(ValueError):
    """An input that cannot be read as its kind of file: one line naming the file and why."""


# ---------------------------------------------------------------------------------- inputs

#: The deepest nesting of a JSON input: compare --json's weights are 5 deep, a benchmark run 5.
MAX_DEPTH = 32
#: The most characters of one number in a JSON input: a double needs at most 24 (-1.2345678901234567e-308).
MAX_NUMBER = 64


def _size(count):
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if count < 1024 or unit == "GiB":
            return f"{count:.0f} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1024


def read_input(path, limit, kind="file"):
    """The bytes of the input file ``path``, read once, at most ``limit`` of them; InputError
    naming the file when it is missing, a folder, a device, larger than ``limit`` or unreadable.
    ``kind`` names what it should be ("CSV file")."""
    if not path:
        raise InputError("the name is empty")
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError(f"cannot read {path}: no such file") from None
    except (OSError, ValueError) as error:
        raise InputError(f"cannot read {path}: {getattr(error, 'strerror', None) or error}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{path} is a folder, not a {kind}")
    if not (stat.S_ISREG(info.st_mode) or stat.S_ISFIFO(info.st_mode)):
        raise InputError(f"{path} is a device or a socket, not a {kind}")
    too_large = f"{path} is larger than {_size(limit)}, the most a {kind} may hold here"
    if stat.S_ISREG(info.st_mode) and info.st_size > limit:
        raise InputError(too_large)
    try:
        with open(path, "rb") as f:
            data = f.read(limit + 1)  # a FIFO's size is unknown until it is read
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror or error}") from None
    if len(data) > limit:
        raise InputError(too_large)
    return data


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")


def _depth(text):
    """How deep the arrays and objects of the JSON ``text`` nest (its strings left out)."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub("", text)):
        depth += 1 if match.group() in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def parse_json(text, path):
    """The JSON document ``text`` of the file ``path``, within MAX_DEPTH and MAX_NUMBER (InputError);
    json.JSONDecodeError when it is not JSON.  NaN and Infinity are read (a reader refuses them
    where a number must be finite)."""
    deepest = _depth(text)
    if deepest > MAX_DEPTH:
        raise InputError(f"{path} nests too deeply ({deepest} levels; at most {MAX_DEPTH} are read)")

    def number(parse):
        def read(literal):
            if len(literal) > MAX_NUMBER:
                raise InputError(f"{path} holds a number written with {len(literal)} characters "
                                 f"({literal[:12]}...); at most {MAX_NUMBER} are read")
            return parse(literal)
        return read

    return json.loads(text, parse_int=number(int), parse_float=number(float))


# ---------------------------------------------------------------------------------- checks


def _name_max(folder):
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255


def _path_max(folder):
    try:
        return os.pathconf(folder, "PC_PATH_MAX")
    except (OSError, ValueError):
        return 4096


def _terminal_encoding():
    return getattr(sys.stdout, "encoding", None) or "utf-8"


def _unprintable(text):
    """Why ``text`` cannot be printed on this stdout, or ''."""
    encoding = _terminal_encoding()
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return f"the name cannot be printed in this terminal's encoding ({encoding}); choose a name in {encoding}"
    return ""


def _cannot_replace(path, folder):
    """Why an existing file ``path`` could not be renamed over, or ''."""
    try:  # chattr +i / +a: not even root may replace it
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        fd = None  # unreadable is no obstacle to replacing it
    if fd is not None:
        try:
            import fcntl  # POSIX only

            flags = struct.unpack("l", fcntl.ioctl(fd, _FS_IOC_GETFLAGS, struct.pack("l", 0)))[0]
            if flags & _IMMUTABLE_OR_APPEND_ONLY:
                return "it is immutable or append-only (chattr -i lifts that); it cannot be replaced"
        except (ImportError, OSError):
            pass  # a system or file system without attributes
        finally:
            os.close(fd)
    info = os.stat(folder)
    if info.st_mode & stat.S_ISVTX and os.geteuid() not in (0, info.st_uid, os.stat(path).st_uid):
        return "the file belongs to another user in a sticky folder; it cannot be replaced"
    return ""


def _probe(folder):
    """Creating a file is the only reliable test of a folder (permissions, read-only mounts)."""
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".probe-"):
        pass


def _nearest_existing(folder):
    while folder and not os.path.exists(folder):
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return folder


def problem(path, *, folder_ok=False, make_parents=False):
    """Why ``path`` cannot be written as a file (or, with ``folder_ok``, as a whole folder), or ''."""
    if not path:
        return "the name is empty"
    if "\0" in path:
        return "the name contains a NUL character"
    if path == "-":  # elsewhere it means standard output: a file called "-" would surprise
        return "'-' (standard output) is not supported; give a file name"
    if folder_ok:
        path = path.rstrip(os.sep) or os.sep  # "out/" is the folder out
    elif path.endswith(os.sep):
        return "the name ends with a slash (give a file name, not a folder)"
    why = _unprintable(path)
    if why:
        return why
    absolute = os.path.abspath(path)
    folder, name = os.path.split(absolute)
    if name in ("", ".", ".."):
        return "the name is not a file name"
    existing = _nearest_existing(folder) if make_parents else folder
    if not os.path.isdir(existing):
        return f"{existing} is not a folder" if os.path.lexists(existing) else f"folder {existing} does not exist"
    limit = _name_max(existing)
    for part in absolute.split(os.sep):  # the name, and any folder still to be made above it
        if len(os.fsencode(part)) > limit:
            return f"a name in it is {len(os.fsencode(part))} bytes long; this file system allows {limit}"
    if len(os.fsencode(absolute)) + _TEMPORARY_EXTRA >= _path_max(existing):
        return f"the path is {len(os.fsencode(absolute))} bytes long; this system allows {_path_max(existing)}"
    if os.path.isdir(absolute) and not folder_ok:
        return f"{path} is a folder"
    if os.path.lexists(absolute) and not (os.path.isfile(absolute) or os.path.isdir(absolute)):
        # a device (/dev/null), a pipe or a dangling link: a rename would replace the thing itself
        return "it exists and is not a regular file"
    if os.path.lexists(absolute) and not os.path.isdir(absolute) and folder_ok:
        return f"{path} is a file, not a folder"
    try:
        _probe(existing)
    except OSError as error:
        return f"cannot create a file in {existing}: {error.strerror or error}"
    if os.path.isfile(absolute) or (folder_ok and os.path.isdir(absolute)):
        return _cannot_replace(absolute, folder)
    return ""


def _same_file(a, b):
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)  # hard links
    except OSError:
        return False


def _inside(path, folder):
    path, folder = os.path.realpath(path), os.path.realpath(folder)
    return path != folder and os.path.commonpath([path, folder]) == folder


def _check_inputs(given, inputs):
    """OutputError when an output names an input (``inputs``: [(option, path or None)]): the same
    file by any spelling (a link, ./, a hard link), or a file inside a folder output replaced whole."""
    for name, source in inputs:
        if source is None:
            continue
        for option, path in given:
            shown = f"{option.rstrip('/')} {path!r}"
            if _same_file(path, source):
                raise OutputError(f"cannot write {shown}: it is the input {name} {source!r}, which it would "
                                  "overwrite; give another name")
            if option.endswith("/") and _inside(source, path):
                raise OutputError(f"cannot write {shown}: the input {name} {source!r} is inside it, and the "
                                  "folder is replaced whole; give another folder")


def check_outputs(outputs, *, make_parents=False, inputs=()):
    """Check every ``(option, path)`` before any work; raise OutputError naming the first problem.

    ``path`` None is an output not asked for.  An ``option`` ending in ``/`` (such as ``"--out/"``)
    is a whole folder (see write_folder); ``make_parents`` allows missing folders above a file.
    Two outputs may not name the same file, and no output may name one of ``inputs`` ([(option,
    path or None)], the files the command reads).
    """
    given = [(option, path) for option, path in outputs if path is not None]
    _check_inputs(given, inputs)
    for option, path in given:
        folder_ok = option.endswith("/")
        why = problem(path, folder_ok=folder_ok, make_parents=make_parents)
        if why:
            shown = f" {path!r}" if path else ""
            raise OutputError(f"cannot write {option.rstrip('/')}{shown}: {why}")
    for i, (option, path) in enumerate(given):
        for other, other_path in given[:i]:
            if _same_file(path, other_path):
                raise OutputError(f"{other.rstrip('/')} and {option.rstrip('/')} name the same file, {path!r}; "
                                  "one would overwrite the other")
        for other, other_path in given:
            if other.endswith("/") and _inside(path, other_path):
                raise OutputError(f"{option.rstrip('/')} {path!r} is inside {other.rstrip('/')} {other_path!r}, "
                                  "a folder that is replaced whole")


# ---------------------------------------------------------------------------------- writes


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _durable(path):
    """fsync: a full disk or quota can first show here, and must fail before the rename."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _temporary_file(path):
    folder = os.path.dirname(os.path.abspath(path))
    suffix = os.path.splitext(path)[1][:SUFFIX_MAX]
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=PREFIX, suffix=suffix)
    os.close(fd)
    return tmp


def _remove(path):
    try:
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            os.unlink(path)
    except FileNotFoundError:
        pass


@contextmanager
def _signals_held():
    """Hold SIGINT and SIGTERM until the block ends: renames that belong together finish together."""
    held = {signal.SIGINT, signal.SIGTERM}
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (AttributeError, ValueError, OSError):  # no pthread_sigmask: nothing to hold
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextmanager
def _naming(path, temporary=None):
    """An OSError raised while writing ``path`` names it, not its temporary or no file at all
    (a full disk's ENOSPC names none)."""
    try:
        yield
    except OSError as error:
        if error.filename is None or (temporary and str(error.filename).startswith(temporary)):
            raise OSError(error.errno, error.strerror or str(error), str(path)) from error
        raise


@contextmanager
def atomic_path(path):
    """Yield a temporary path beside ``path``; on success rename it to ``path``, else delete it."""
    tmp = None
    try:
        with _naming(path, os.path.join(os.path.dirname(os.path.abspath(path)), PREFIX)):
            tmp = _temporary_file(path)
            yield tmp
            _durable(tmp)
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; give it a new file's mode
            os.replace(tmp, path)  # atomic on POSIX when on the same file system
    except BaseException:
        if tmp is not None:
            _remove(tmp)
        raise


def _json_text(document):
    """Strict JSON: NaN and infinities are not JSON, so they raise ValueError instead of being written."""
    return json.dumps(document, indent=1, allow_nan=False) + "\n"


def write_json(path, document):
    text = _json_text(document)  # before the temporary exists: a ValueError leaves nothing behind
    write_text(path, text)


def write_text(path, text):
    with outputs() as run:
        run.text(path, text)


def write_files(writers):
    """Write several files, all or none: ``writers`` maps each path to ``write(temporary_path)``
    (one run's outputs, see Outputs)."""
    with outputs() as run:
        for path, write in writers.items():
            run.file(path, write)


def text_writer(text):
    """A writer for write_files / write_folder that writes ``text`` as UTF-8."""
    def write(tmp):
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    return write


def check_folder_contents(folder, names):
    """Raise OutputError if ``folder`` holds anything but files called ``names``: the swap in
    write_folder replaces the whole folder, and must not take a user's other files with it."""
    if not os.path.isdir(folder):
        return
    others = sorted(set(os.listdir(folder)) - set(names))
    if others:
        shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
        raise OutputError(f"{folder} holds other files ({shown}); give a new folder, or one that holds "
                          "only files this command writes")
    for name in names:
        path = os.path.join(folder, name)
        if os.path.lexists(path) and not os.path.isfile(path):
            raise OutputError(f"{path} is a folder, where a file is to be written")
        why = os.path.isfile(path) and _cannot_replace(path, folder)
        if why:  # the swap would work, but the old folder could not be removed afterwards
            raise OutputError(f"{path}: {why}")


def write_folder(folder, writers):
    """Write the folder ``folder`` all or nothing: ``writers`` maps each file name to ``write(path)``
    (one run's outputs, see Outputs.folder).  Returns the paths written."""
    with outputs() as run:
        return run.folder(folder, writers)


# ---------------------------------------------------------------------------------- one run's outputs


def _current_folder_within(folder):
    """Whether the current folder is ``folder`` or inside it: such a folder is never renamed away."""
    try:
        here = os.path.realpath(os.getcwd())
    except OSError:  # the current folder is gone already
        return False
    folder = os.path.realpath(folder)
    return here == folder or _inside(here, folder)


class Outputs:
    """The outputs of one run, written together or not at all: the one mechanism every command's
    files go through (``with outputs() as run: run.file(...); run.folder(...); print(...)``).

    Each output is *staged* when it is given: written whole into a temporary beside its target
    (a file), into a temporary sibling folder (a folder), or, when folders above it are missing,
    into a temporary folder that stands for the topmost missing one, so that a failure leaves no
    empty folder behind.  Nothing is visible under its own name until ``commit``, which comes after
    the last thing that can fail: it first flushes standard output (a full or closed stdout fails
    there, before any file is swapped in), then does all the renames with SIGINT and SIGTERM held.
    Any exception before (a full disk, a figure that cannot be drawn, Ctrl-C) removes every
    temporary and leaves the old files as they were.

    A folder output replaces the folder whole (a temporary sibling, then two renames), except
    where the current folder is that folder or inside it (``--out .``): there its files are
    replaced one by one instead (each staged, all renamed together), so the shell is never left in
    a deleted folder.  A folder output that is a symbolic link to a folder is written through the
    link: the folder it points to is replaced, and the link stays.
    """

    def __init__(self):
        self._renames = []  # (temporary, target, is a swap of an existing folder), in order
        self._tops = {}  # a missing folder (the topmost missing above some output) -> its temporary
        self._temporaries = []  # every temporary made, removed at the end unless renamed
        self.paths = []  # the targets, in the order given

    def _staged_folder(self, folder):
        """Where the files of ``folder`` (absolute) are staged: the folder itself when it exists,
        else the place inside the temporary of its topmost missing folder."""
        if os.path.isdir(folder):
            return folder
        existing = _nearest_existing(folder)
        top = os.path.join(existing, os.path.relpath(folder, existing).split(os.sep)[0])
        if top not in self._tops:
            staged = tempfile.mkdtemp(dir=existing, prefix=PREFIX)
            self._temporaries.append(staged)
            os.chmod(staged, 0o777 & ~_umask())
            self._tops[top] = staged
            self._renames.append((staged, top, False))
        inside = os.path.join(self._tops[top], os.path.relpath(folder, top))
        os.makedirs(inside, mode=0o777 & ~_umask(), exist_ok=True)
        return inside

    def file(self, path, write):
        """Stage the file ``path``: ``write(temporary_path)`` writes it (in the format of ``path``'s
        extension, which the temporary keeps)."""
        path = os.fspath(path)
        target = os.path.abspath(path)
        folder = os.path.dirname(target)
        with _naming(path, os.path.join(_nearest_existing(folder), PREFIX)):
            staged_folder = self._staged_folder(folder)
            if staged_folder == folder:
                tmp = _temporary_file(target)
                self._temporaries.append(tmp)
                self._renames.append((tmp, target, False))
            else:  # inside the temporary of a missing folder: renamed with it
                tmp = os.path.join(staged_folder, os.path.basename(target))
            write(tmp)
            _durable(tmp)
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; give it a new file's mode
        self.paths.append(path)
        return path

    def text(self, path, text):
        """Stage ``text`` as the UTF-8 file ``path``."""
        return self.file(path, text_writer(text))

    def json(self, path, document):
        """Stage ``document`` as strict JSON (no NaN or infinity: ValueError before any file)."""
        return self.text(path, _json_text(document))

    def folder(self, folder, writers):
        """Stage the folder ``folder``: ``writers`` maps each file name to ``write(path)``; it will
        hold exactly these files (check_folder_contents).  Returns the paths of its files."""
        shown = os.path.abspath(folder)
        folder = os.path.realpath(shown)  # a link to a folder: written through (see the class)
        check_folder_contents(folder, writers)
        if os.path.isdir(folder) and _current_folder_within(folder):
            for name, write in writers.items():
                self.file(os.path.join(folder, name), write)
            return [os.path.join(shown, name) for name in writers]
        if os.path.isdir(folder):
            parent = os.path.dirname(folder)
            fresh = tempfile.mkdtemp(dir=parent, prefix=PREFIX)
            self._temporaries.append(fresh)
            os.chmod(fresh, stat.S_IMODE(os.stat(folder).st_mode))
            self._renames.append((fresh, folder, True))
        else:
            with _naming(shown):
                fresh = self._staged_folder(folder)
        for name, write in writers.items():
            with _naming(os.path.join(shown, name), fresh):
                path = os.path.join(fresh, name)
                write(path)
                _durable(path)
        paths = [os.path.join(shown, name) for name in writers]
        self.paths.extend(paths)
        return paths

    def commit(self):
        """Flush standard output, then rename everything staged into place, signals held."""
        stdout = sys.stdout
        if stdout is not None:
            stdout.flush()  # a full stdout fails here, before any file is swapped in
        old = []
        try:
            with _signals_held():
                for tmp, target, swap in self._renames:
                    if swap:
                        aside = tempfile.mkdtemp(dir=os.path.dirname(target), prefix=PREFIX)
                        old.append(aside)
                        moved = os.path.join(aside, os.path.basename(target))
                        os.rename(target, moved)
                        try:
                            os.rename(tmp, target)
                        except BaseException:
                            os.rename(moved, target)  # put the old folder back
                            raise
                    else:
                        os.replace(tmp, target)
                    self._temporaries.remove(tmp)
        finally:
            for aside in old:
                _remove(aside)

    def discard(self):
        """Remove whatever is still staged (after commit: nothing)."""
        for tmp in reversed(self._temporaries):
            _remove(tmp)
        self._temporaries.clear()


@contextmanager
def outputs():
    """One run's Outputs, committed when the block ends without an exception, else discarded."""
    run = Outputs()
    try:
        yield run
        run.commit()
    finally:
        run.discard()
