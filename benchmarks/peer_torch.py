"""Peer: the same training in PyTorch, eager mode on the CPU, float64, the way it is usually
written (autograd for the gradient, torch.optim.SGD for the step).

Same network, loss and epoch loss as the trainers (backprop_lab.conventions): sigmoid layers,
MSE as the batch mean (K >= 3 outputs: softmax and cross-entropy, the batch mean, as
torch.nn.functional.cross_entropy computes them from the logits), the epoch loss summed from
each batch before its step.  Imported only when torch is installed (implementations.py skips it
otherwise).
"""

import torch

from benchmarks.workloads import LR

torch.set_num_threads(1)


def prepare(workload):
    """A function that trains a fresh copy of the workload's parameters for ``epochs`` epochs."""
    X, Y = (torch.from_numpy(a) for a in workload.data())
    start_params = [torch.from_numpy(p) for p in workload.params()]
    n, batch_size = X.shape[0], workload.batch_size
    classes = workload.sizes[-1] > 1  # K softmax outputs, not one sigmoid
    labels = Y[:, 0].long()  # the class indices cross_entropy takes

    def run(epochs):
        params = [p.clone().requires_grad_(True) for p in start_params]
        optimizer = torch.optim.SGD(params, lr=LR)
        for _ in range(epochs):
            epoch_loss = torch.zeros((), dtype=torch.float64)
            correct = torch.zeros((), dtype=torch.int64)
            for start in range(0, n, batch_size):
                A, Y_b = X[start:start + batch_size], Y[start:start + batch_size]
                for W, b in zip(params[0:-2:2], params[1:-2:2]):
                    A = torch.sigmoid(A @ W + b)
                Z = A @ params[-2] + params[-1]
                if classes:
                    labels_b = labels[start:start + batch_size]
                    loss = torch.nn.functional.cross_entropy(Z, labels_b)
                else:
                    A = torch.sigmoid(Z)
                    loss = torch.mean((A - Y_b) ** 2)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                with torch.no_grad():
                    epoch_loss += loss * Y_b.shape[0]
                    correct += (Z.argmax(dim=1) == labels_b).sum() if classes else ((A > 0.5) == (Y_b > 0.5)).sum()
        return float(epoch_loss) / n

    return run
