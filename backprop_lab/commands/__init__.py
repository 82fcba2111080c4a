"""The lab's commands: what runs the two trainers and reports on them (``backprop-lab ...``).

Everything below ``backprop_lab/`` outside this folder and ``figures/`` is shared ground that
imports neither trainer; tests/test_layout.py holds it to that.
"""
