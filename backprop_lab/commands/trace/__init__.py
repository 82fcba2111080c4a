"""``backprop-lab trace``: one training step with every number, element by element beside the
matrix form.

step.py takes the numbers from both trainers and checks them bit for bit, params.py reads --params,
training.py trains the epochs of --after-epochs with both trainers, equations.py says what the
trace shows in order, text.py and markdown.py typeset it, command.py is the command.
"""
