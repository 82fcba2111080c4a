"""``backprop-lab experiment``: one lab question answered over many seeds.

catalogue.py lists the experiments, command.py plans and runs one, seed_runs.py trains the runs
over processes, statistics.py sums them up per setting, report.py writes the report folder.
"""
