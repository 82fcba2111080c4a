"""Peer: the same training in JAX, the whole loop jitted (lax.fori_loop over epochs, lax.scan
over batches), in float64.

JAX computes in float32 unless ``jax_enable_x64`` is set before any array is made; it is set
here, and ``prepare`` checks the parameters really are float64.  Same network, loss and epoch
loss as the trainers (backprop_lab.conventions; K >= 3 outputs: softmax and cross-entropy, from
the logits by jax.nn.log_softmax).  Batches that do not divide the data leave a shorter last
one, as in the trainers: the scan runs over the whole ones, then one step takes the rest.
Imported only when jax is installed.
"""

import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402

from benchmarks.workloads import LR  # noqa: E402


def _batch_loss(params, X, Y):
    """(the batch's mean loss, how many of its samples are classified right): mean squared error
    for one sigmoid output, cross-entropy for K softmax outputs (the output width is static)."""
    A = X
    for W, b in zip(params[0:-2:2], params[1:-2:2]):
        A = jax.nn.sigmoid(A @ W + b)
    Z = A @ params[-2] + params[-1]
    if Z.shape[1] > 1:
        labels = Y.astype(jnp.int32)  # (m, 1) class indices
        log_p = jax.nn.log_softmax(Z)
        return -jnp.mean(jnp.take_along_axis(log_p, labels, axis=1)), jnp.sum(jnp.argmax(Z, axis=1) == labels[:, 0])
    A = jax.nn.sigmoid(Z)
    return jnp.mean((A - Y) ** 2), jnp.sum((A > 0.5) == (Y > 0.5))


_loss_and_grad = jax.value_and_grad(_batch_loss, has_aux=True)


@jax.jit
def _train(params, X_batches, Y_batches, X_rest, Y_rest, epochs):
    """Train for ``epochs`` (a traced number: one compilation for every count) on the whole
    batches, then the rest (no rows: no step); return (params, last epoch's loss, its accuracy)."""
    n = X_batches.shape[0] * X_batches.shape[1] + X_rest.shape[0]

    def batch_step(carry, batch):
        params, loss_sum, correct = carry
        X, Y = batch
        (loss, right), grads = _loss_and_grad(params, X, Y)
        params = [p - LR * g for p, g in zip(params, grads)]
        return (params, loss_sum + loss * Y.shape[0], correct + right), None

    def epoch(_, state):
        params, _, _ = state
        carry, _ = jax.lax.scan(batch_step, (params, jnp.zeros(()), jnp.zeros((), jnp.int64)), (X_batches, Y_batches))
        if X_rest.shape[0]:  # shapes are static: decided while tracing
            carry, _ = batch_step(carry, (X_rest, Y_rest))
        params, loss_sum, correct = carry
        return params, loss_sum / n, correct / n

    return jax.lax.fori_loop(0, epochs, epoch, (params, jnp.zeros(()), jnp.zeros(())))


def prepare(workload):
    """A function that trains a fresh copy of the workload's parameters for ``epochs`` epochs."""
    X, Y = workload.data()
    batch_size = workload.batch_size
    whole = X.shape[0] // batch_size * batch_size  # rows in whole batches
    X_batches = jnp.asarray(X[:whole].reshape(-1, batch_size, X.shape[1]))
    Y_batches = jnp.asarray(Y[:whole].reshape(-1, batch_size, 1))
    X_rest, Y_rest = jnp.asarray(X[whole:]), jnp.asarray(Y[whole:])
    params = [jnp.asarray(p) for p in workload.params()]
    if params[0].dtype != jnp.float64:
        raise RuntimeError("jax is computing in float32: jax_enable_x64 was not applied")

    def run(epochs):
        _, loss, _ = _train(params, X_batches, Y_batches, X_rest, Y_rest, epochs)
        return float(jax.block_until_ready(loss))

    return run
