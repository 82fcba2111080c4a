"""Files are written whole or not at all: into a temporary file beside the target, then renamed."""

import json
import os
import tempfile
from contextlib import contextmanager


def check_writable(path):
    """Raise OSError naming the problem if ``path`` cannot be created or replaced."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise OSError(f"{path} is a folder")
    if not os.path.isdir(folder):
        raise OSError(f"folder {folder} does not exist")
    # Creating a file is the only reliable test (permissions, read-only mounts, root).
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".probe-"):
        pass


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_path(path):
    """Yield a temporary path beside ``path``; on success rename it to ``path``, else delete it."""
    folder = os.path.dirname(os.path.abspath(path))
    suffix = os.path.splitext(path)[1]
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=suffix)
    os.close(fd)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; give it a new file's mode
        os.replace(tmp, path)  # atomic on POSIX when on the same file system
    except BaseException:
        os.unlink(tmp)
        raise


def write_json(path, document):
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as f:
        json.dump(document, f, indent=1)
        f.write("\n")


def write_text(path, text):
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
