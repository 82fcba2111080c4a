"""Which form of backpropagation is faster, at which sizes, and why.

Run from the repository root:

    pytest --benchmark-only --benchmark-json=bench.json   # the timed run, about three minutes
    backprop-lab bench bench.json                         # the report (Markdown) and its PNG

Plain ``pytest`` runs every benchmark once as a quick test (pyproject's ``--benchmark-disable``).
Every time is per epoch (per operation for the scalar rates), compilation excluded: see
timing.py.  One bench_*.py file per question, one parametrised list of implementations
(implementations.py) over its workloads (workloads.py).
"""
