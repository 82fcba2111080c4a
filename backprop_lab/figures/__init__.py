"""The pictures drawn from the trainers' results, ready to paste into a lab report."""
