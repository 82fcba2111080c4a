"""The matrix product of the matrix trainer, in its two modes (matrix_net.modes puts each mode
together with its elementary functions).

``blas``:  NumPy's ``@``.  BLAS blocks the sum, may use fused multiply-add (one rounding for
           a*b + c) and reorders it for speed, so its last bits differ from a left-to-right sum.
``exact``: every entry C[r, c] = ((0 + A[r, 0] B[0, c]) + A[r, 1] B[1, c]) + ... summed left to
           right over k, each product and each sum rounded on its own: the order of
           backprop_lab.conventions, which the element-wise trainer follows.  Bitwise equal to it.
           It materialises all m*K*n products, so it is for small nets and tests, not for speed.
"""

from functools import lru_cache

import numpy as np


def blas_matmul(A, B):
    """A @ B."""
    return A @ B


def ordered_matmul(A, B):
    """A @ B, each entry summed over k = 0, 1, ..., K-1 from 0.0, left to right, no FMA."""
    if A.shape[1] == 1:  # one term per entry (per-sample gradients, one-neuron layers)
        return 0.0 + A * B
    terms = A[:, :, None] * B[None, :, :]  # (m, K, n): every product a_rk b_kc, rounded once
    # add.accumulate is defined sequentially: out[k] = out[k-1] + terms[k].  The leading
    # 0.0 + gives -0.0 sums the sign the element-wise sum, which starts from 0.0, gives them.
    return 0.0 + np.add.accumulate(terms, axis=1)[:, -1, :]


@lru_cache(maxsize=16)
def _ones_row(m):
    """The row 1^T of shape (1, m), made once per batch size (np.ones costs as much as a product)."""
    row = np.ones((1, m))
    row.flags.writeable = False
    return row


def sum_over_samples(matmul, M):
    """Column sums of M (m, n) -> (n,), as the product 1^T M, so they follow the mode's order."""
    return matmul(_ones_row(M.shape[0]), M)[0]


def sum_over_units(matmul, M):
    """Row sums of M (m, K) -> (m, 1), as the product M 1, so they follow the mode's order."""
    return matmul(M, _ones_row(M.shape[1]).T)
