"""``backprop-lab experiment``: one lab question answered over many seeds.

catalogue.py lists the experiments, planning.py checks one and lists its runs, seed_runs.py trains
the runs over processes, statistics.py sums them up per setting, report.py writes report.md and
the figures, folder.py the report folder; command.py is the command.
"""
