"""How many operations one epoch of the element-wise trainer does, counted from its code.

For the benchmark's configuration (sigmoid hidden layers, sigmoid output, MSE, SGD, biases),
following scalar_net/backprop.py and scalar_net/training.py line by line, per sample:

    forward             z_j = sum_i a_i w_ij + b_j    one multiply-add per weight, one add per bias
                        a_j = sigmoid(z_j)            one exp, one add, one division per neuron
    loss                (y_hat - y)^2, summed         3 flops
    output delta        (2/m)(y_hat - y) y_hat(1 - y_hat)   one division, 5 flops
    backward            sum_j w_ij delta_j            one multiply-add per weight above a hidden layer
                        times a(1 - a)                3 flops per hidden neuron
    gradient            gW_ij += a_i delta_j          one multiply-add per weight, one add per bias
and per batch one multiply-add per parameter (theta - lr g); per epoch two divisions (loss and
accuracy over n) and a finiteness test per parameter (a comparison, not counted).  A
"multiply-add" is a multiply and an add rounded separately (no FMA).

K >= 3 softmax outputs (scalar_net/softmax.py) replace the output sigmoid, MSE and its delta by,
per sample:

    softmax             e^(z_j - max), summed, divided   K exps, K divisions, 2K flops
    loss                the same exps again, summed; log1p(sum - 1) - (z_y - max)
                                                         K exps, one log, 2K + 3 flops
    output delta        (1/m)(y_hat_j - [j == y])        K divisions, 2K flops
and no division for the delta per epoch (the max and the argmax are comparisons, not counted).
"""


def per_epoch(sizes, n, batch_size):
    """{"multiply_adds", "exps", "divisions", "other_flops"} for one epoch (and "logs" for K outputs)."""
    pairs = list(zip(sizes[:-1], sizes[1:]))
    weights = sum(k_in * k_out for k_in, k_out in pairs)
    neurons = sum(sizes[1:])  # every neuron above the inputs has a bias and a sigmoid
    hidden = sum(sizes[1:-1])
    backward_weights = sum(k_in * k_out for k_in, k_out in pairs[1:])  # weights above hidden layers
    batches = -(-n // batch_size)
    per_sample = {"multiply_adds": weights + backward_weights + weights}
    K = sizes[-1]
    if K == 1:
        per_sample.update(exps=neurons, divisions=neurons + 1,
                          other_flops=neurons + neurons + 3 + 5 + 3 * hidden + neurons)
    else:  # the hidden sigmoids as above, then softmax, cross-entropy and its delta
        per_sample.update(exps=hidden + 2 * K, divisions=hidden + 2 * K, logs=1,
                          other_flops=neurons + hidden + 2 * K + (2 * K + 3) + 2 * K + 3 * hidden + neurons)
    counts = {key: value * n for key, value in per_sample.items()}
    counts["multiply_adds"] += batches * (weights + neurons)
    counts["divisions"] += 2
    return counts
