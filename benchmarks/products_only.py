"""The matrix products of one epoch of matrix_net, and nothing else: the floor under its time.

For full-batch training of sizes (2, H1, ..., 1) on m samples, matrix_net/backprop.py multiplies
(shapes for layer l = 1..L, A[0] = X):

    forward    Z[l]      = A[l-1] W_l              (m, n_{l-1}) @ (n_{l-1}, n_l)
    backward   dL/dA[l]  = Delta[l+1] W_{l+1}^T    (m, n_{l+1}) @ (n_{l+1}, n_l)     l = L-1..1
    gradients  dL/dW_l   = A[l-1]^T Delta[l]       (n_{l-1}, m) @ (m, n_l)

with the transposes as views, as matrix_net passes them.  The column sums it also forms as
products (1^T Delta, for the biases and the loss) are left out: they are matrix-vector products,
under 1% of the work at H=256.  Operands are fixed random arrays of the right shapes.
"""

import numpy as np


def prepare(workload):
    """A function that does the products of ``epochs`` full-batch epochs of the workload."""
    if workload.per_sample:
        raise ValueError("products_only models full-batch epochs")
    sizes, m = workload.sizes, workload.n
    rng = np.random.default_rng(0)
    A = [rng.standard_normal((m, k)) for k in sizes]  # A[l] and Delta[l] share their shapes
    Delta = [rng.standard_normal((m, k)) for k in sizes]
    W = [None] + [rng.standard_normal((k_in, k_out)) for k_in, k_out in zip(sizes[:-1], sizes[1:])]
    L = len(sizes) - 1
    products = [(A[l - 1], W[l]) for l in range(1, L + 1)]
    products += [(Delta[l + 1], W[l + 1].T) for l in range(L - 1, 0, -1)]
    products += [(A[l - 1].T, Delta[l]) for l in range(1, L + 1)]

    def run(epochs):
        for _ in range(epochs):
            for left, right in products:
                left @ right

    run.multiply_adds = sum(left.shape[0] * left.shape[1] * right.shape[1] for left, right in products)
    return run
