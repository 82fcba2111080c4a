"""The terminal a command writes to, whatever it is: any encoding, closed streams, libraries' logs.

``prepared()`` is entered once, by cli.main, around every command:

- a character the terminal's encoding lacks (``PYTHONIOENCODING=ascii``, a latin-1 terminal) is
  written in an ASCII spelling (``σ`` as ``sigma``, ``←`` as ``<-``, ``é`` as ``e``; SPELLINGS),
  by an error handler of the standard streams, instead of ending in UnicodeEncodeError;
- a closed standard stream (``>&-``, ``2>&-``) is given /dev/null, so that no file the command
  opens later takes its number (and what is written there); a closed stdout is StdoutClosed,
  reported by cli.main before any work, and a closed stderr swallows what is written to it
  (Python's ``print(file=None)`` would send the error line to stdout);
- what libraries log (matplotlib's warning about an unwritable MPLCONFIGDIR) reaches no one:
  the command reports its own problems.
"""

import codecs
import logging
import os
import sys
import unicodedata
from contextlib import contextmanager

#: The name of the error handler (codecs.register_error) that writes ASCII spellings.
ERRORS = "backprop-lab-ascii"

#: The ASCII spelling of each character the commands print that an encoding may lack.  Any other
#: character is written as its letters without accents (NFKD), else as "?".
SPELLINGS = {
    "σ": "sigma", "Σ": "sum", "δ": "delta", "Δ": "Delta", "λ": "lambda", "µ": "u", "μ": "u",
    "η": "eta", "α": "alpha", "β": "beta", "ε": "eps", "θ": "theta", "ℓ": "l", "∂": "d",
    "ŷ": "y_hat", "←": "<-", "→": "->", "−": "-", "·": "*", "×": "x", "⊙": "(*)", "ᵀ": "^T",
    "²": "^2", "³": "^3", "½": "1/2", "∞": "inf", "≈": "~", "≤": "<=", "≥": ">=", "≠": "!=",
    "…": "...", "⋮": ":", "—": "--", "–": "-", "†": "+", "“": '"', "”": '"', "‘": "'", "’": "'",
    "✓": "ok", "✗": "x", "°": " deg",
}


def spelling(character):
    """The ASCII spelling of one character (see SPELLINGS)."""
    if character in SPELLINGS:
        return SPELLINGS[character]
    plain = unicodedata.normalize("NFKD", character).encode("ascii", "ignore").decode("ascii")
    return plain or "?"


def _ascii_spellings(error):
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return "".join(spelling(c) for c in error.object[error.start:error.end]), error.end


codecs.register_error(ERRORS, _ascii_spellings)


class StdoutClosed(Exception):
    """Standard output is closed (``>&-``): nothing the command prints could reach anyone."""


def _reopen_closed_descriptors():
    """Put /dev/null on each of the descriptors 0, 1, 2 that is closed; return those."""
    closed = []
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            closed.append(fd)
    for fd in closed:
        devnull = os.open(os.devnull, os.O_RDWR)  # the lowest free number: fd itself, if below
        if devnull != fd:
            os.dup2(devnull, fd)
            os.close(devnull)
    return closed


def _spell_in_ascii(stream):
    """Give ``stream`` the ASCII spellings as its error handler; return how to undo it."""
    reconfigure = getattr(stream, "reconfigure", None)
    errors = getattr(stream, "errors", None)
    if reconfigure is None or errors not in ("strict", "backslashreplace"):
        return lambda: None
    try:
        reconfigure(errors=ERRORS)
    except (ValueError, OSError):  # a closed or detached stream
        return lambda: None
    return lambda: reconfigure(errors=errors)


@contextmanager
def prepared():
    """The standard streams and the logs as the module's docstring says, inside the block."""
    closed = _reopen_closed_descriptors()
    swapped = []
    if sys.stderr is None or 2 in closed:
        swapped.append(("stderr", sys.stderr))
        sys.stderr = open(os.devnull, "w")
    undo = [_spell_in_ascii(sys.stdout), _spell_in_ascii(sys.stderr)]
    root, quiet = logging.getLogger(), logging.NullHandler()
    root.addHandler(quiet)  # a handler: logging's last resort (stderr) is not used
    try:
        if sys.stdout is None or 1 in closed:
            raise StdoutClosed()
        yield
    finally:
        root.removeHandler(quiet)
        for restore in undo:
            try:
                restore()
            except (ValueError, OSError):
                pass
        for name, stream in swapped:
            getattr(sys, name).close()
            setattr(sys, name, stream)
