"""``backprop-lab compare``: both trainers side by side from the same start.

run.py trains them and collects the numbers, report.py prints them, pictures.py draws them.
"""
