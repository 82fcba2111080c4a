"""The lab's commands: what runs the two trainers and reports on them (``backprop-lab ...``).

Every command is a folder of one shape: ``compare/``, ``experiment/``, ``trace/``, ``derive/``,
``bench/``, each with a ``command.py`` that holds ``add_parser(subparsers)`` (its options, each
with its help and default) and ``run(args)`` (the command; it returns the exit status).  What
they share is ``shared/`` (bad input and exit statuses, the parser, argument types, the checks
before any work, the options of a run), which imports no command; no command imports another.
``cli.py`` assembles the parser from the commands and turns errors into exit statuses;
``signals.py`` turns Ctrl-C and SIGTERM into exceptions, so that nothing is left half-written.

Everything below ``backprop_lab/`` outside this folder and ``figures/`` is shared ground that
imports neither trainer; tests/test_layout.py holds it to that, and to the shape above.
"""
