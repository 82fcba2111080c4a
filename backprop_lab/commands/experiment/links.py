"""The links of report.md to the derivations, made relative to the folder the report is written to.

The catalogue's notes link a derivation as ``derivations/generated/NAME.md`` (from the project's
root).  A report folder inside a checkout of the project (``docs/experiments/loss``) links into
that checkout's derivations/generated, so the links also work where the committed reports are
read (GitHub); anywhere else (``--out loss``, ``--out ~/lab/report``) it links into the installed
package's, as ``trace --markdown`` does.  Either way the link is relative to the report's folder.
"""

import os
import re
from pathlib import Path

#: What a note writes before a derivation's file name.
PREFIX = "derivations/generated/"
_TARGET = re.compile(r"\]\(" + re.escape(PREFIX) + r"([^)#\s]+)")


def package_derivations():
    """derivations/generated/ of the installed package, found without importing sympy."""
    import importlib.util

    spec = importlib.util.find_spec("derivations")
    return Path(list(spec.submodule_search_locations)[0]) / "generated"


def derivations_for(out, names):
    """The derivations/generated folder that a report in the folder ``out`` links to: the first
    one beside an ancestor of ``out`` that holds every file of ``names``, or the package's."""
    folder = Path(os.path.abspath(out))
    for ancestor in folder.parents:
        candidate = ancestor / PREFIX
        if all((candidate / name).is_file() for name in names):
            return candidate
    return package_derivations()


def relative_links(text, out):
    """``text`` with every link target ``derivations/generated/NAME`` made relative to ``out``."""
    names = sorted(set(_TARGET.findall(text)))
    if not names:
        return text
    target = derivations_for(out, names)
    folder = os.path.abspath(out)

    def relative(match):
        path = target / match[1]
        try:
            return "](" + Path(os.path.relpath(path, folder)).as_posix()
        except ValueError:  # on another drive (Windows): no relative path exists
            return "](" + path.as_uri()

    return _TARGET.sub(relative, text)
