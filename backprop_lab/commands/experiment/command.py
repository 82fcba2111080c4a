"""``backprop-lab experiment NAME``: one lab question, every setting over many seeds, one report.

The steps: ``planning.plan`` checks the input and lists every run (nothing is written when it
fails); ``seed_runs.run_all`` trains them; ``planning.summarise`` reduces them per setting;
``folder.write_report`` writes the folder (report.md, runs.json, figures) into a temporary
sibling and renames it into place.
"""

from dataclasses import fields

from backprop_lab.config import Config


def given_fields(args):
    """The Config fields the user typed on the command line (``args.given``: their dests)."""
    names = {f.name for f in fields(Config)}
    given = {k: getattr(args, k) for k in sorted(args.given) if k in names}
    if "hidden" in given:
        given["hidden"] = tuple(given["hidden"])
    return given


def command_line(argv):
    """The command that made the report, for report.md: without --jobs, which changes nothing."""
    import shlex

    kept, skip = [], False
    for word in argv:
        if skip:
            skip = False
        elif word == "--jobs":
            skip = True
        elif not word.startswith("--jobs="):
            kept.append(word)
    return "backprop-lab " + shlex.join(kept)
