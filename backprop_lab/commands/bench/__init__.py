"""``backprop-lab bench``: turn a saved benchmark run into a Markdown report and a PNG: which form
is faster, at which sizes.

    pytest --benchmark-only --benchmark-json=bench.json
    python -m backprop_lab.commands.bench bench.json [--out DIR]      (backprop-lab bench ...)

Reads the JSON that pytest-benchmark saves for benchmarks/ (every time in it is per epoch, or
per operation: see benchmarks/timing.py) and writes ``DIR/benchmarks.md`` (for a student: which
form wins at which size and why, in sentences built from that one run's numbers, then its
tables and crossovers) and ``DIR/benchmarks.png`` (time per
epoch against width and against batch size, log scales, crossovers marked).  DIR defaults to
the JSON's folder; both are written whole, or neither (backprop_lab.files).  Bad input (a file
that is not such a JSON, a field of the wrong type, named; an --out that cannot be written):
one line on stderr, exit status 2, before anything is written; a write that fails on the way
(a full disk): one line, exit status 1, and the old files as they were.

results.py reads and checks the saved run, report.py writes the Markdown (and the summary at the
end of a benchmark run), targets.py holds the developers' goals (printed in that summary only),
figure.py draws the PNG, command.py is the command.
"""
