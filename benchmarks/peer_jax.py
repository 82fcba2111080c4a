"""Peer: the same training in JAX, the whole loop jitted (lax.fori_loop over epochs, lax.scan
over batches), in float64.

JAX computes in float32 unless ``jax_enable_x64`` is set before any array is made; it is set
here, and ``prepare`` checks the parameters really are float64.  Same network, loss and epoch
loss as the trainers (backprop_lab.conventions).  Imported only when jax is installed.
"""

import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402

from benchmarks.workloads import LR  # noqa: E402


def _batch_loss(params, X, Y):
    """(the batch's mean squared error, its outputs)."""
    A = X
    for W, b in zip(params[0::2], params[1::2]):
        A = jax.nn.sigmoid(A @ W + b)
    return jnp.mean((A - Y) ** 2), A


_loss_and_grad = jax.value_and_grad(_batch_loss, has_aux=True)


@jax.jit
def _train(params, X_batches, Y_batches, epochs):
    """Train for ``epochs`` (a traced number: one compilation for every count); return
    (params, last epoch's loss, its accuracy)."""
    n = X_batches.shape[0] * X_batches.shape[1]

    def batch_step(carry, batch):
        params, loss_sum, correct = carry
        X, Y = batch
        (loss, A), grads = _loss_and_grad(params, X, Y)
        params = [p - LR * g for p, g in zip(params, grads)]
        correct = correct + jnp.sum((A > 0.5) == (Y > 0.5))
        return (params, loss_sum + loss * Y.shape[0], correct), None

    def epoch(_, state):
        params, _, _ = state
        (params, loss_sum, correct), _ = jax.lax.scan(
            batch_step, (params, jnp.zeros(()), jnp.zeros((), jnp.int64)), (X_batches, Y_batches))
        return params, loss_sum / n, correct / n

    return jax.lax.fori_loop(0, epochs, epoch, (params, jnp.zeros(()), jnp.zeros(())))


def prepare(workload):
    """A function that trains a fresh copy of the workload's parameters for ``epochs`` epochs."""
    X, Y = workload.data()
    n, batch_size = X.shape[0], workload.batch_size
    if n % batch_size:
        raise ValueError(f"the JAX peer needs batches that divide the data: {n} by {batch_size}")
    X_batches = jnp.asarray(X.reshape(n // batch_size, batch_size, X.shape[1]))
    Y_batches = jnp.asarray(Y.reshape(n // batch_size, batch_size, 1))
    params = [jnp.asarray(p) for p in workload.params()]
    if params[0].dtype != jnp.float64:
        raise RuntimeError("jax is computing in float32: jax_enable_x64 was not applied")

    def run(epochs):
        _, loss, _ = _train(params, X_batches, Y_batches, epochs)
        return float(jax.block_until_ready(loss))

    return run
