"""What the commands share, in one place that every command imports and that imports no command:

- errors.py: ``BadInput``, the one-line error, and the exit statuses;
- parser.py: the one-line parser every command parses with, and the note for an option given
  without effect;
- argument_types.py: the argument types, each refusing a bad value at parse time with one line;
- checks.py: the checks before any work, outputs (backprop_lab.files) and memory
  (backprop_lab.limits), as BadInput;
- terminal.py: the standard streams of any terminal (encodings, closed streams) and no library's log;
- run_options.py: the options of a training run that compare, experiment and trace share;
- network_options.py: the options that shape a student's network, for check and exercise.
"""
