"""backprop-lab: element-wise and matrix backpropagation, side by side, shown to be one algorithm."""
