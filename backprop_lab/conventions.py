"""The one place that states the conventions every module of backprop-lab follows.

Everything that depends on a convention points here instead of restating it.

Row vectors (as in the lab spec)
    A layer maps the activations ``a`` of the layer below to ``z = a W + b`` and then to
    ``a' = g(z)``.  ``a`` is a row: one sample is shape ``(fan_in,)``, a batch of ``m`` samples is
    ``(m, fan_in)``.  ``W`` has shape ``(fan_in, fan_out)`` and ``W[i, j]`` is the weight from
    neuron ``i`` below to neuron ``j`` above; ``b`` has shape ``(fan_out,)``.  Textbooks that use
    column vectors write ``z = W^T a + b`` with the same ``W``.

Layers
    ``sizes = (n, H1, ..., Hk, K_out)``: n >= 1 inputs (the data's features; the lab's plane: 2),
    any number of hidden layers, and the output.  Hidden layers use the chosen hidden activation
    (sigmoid by default).  Two classes: K_out = 1, a sigmoid, so the output ``y_hat`` is a
    probability of class 1 (labels 0/1).  K >= 3 classes: K_out = K, a softmax over the K
    outputs' z, ``y_hat_j = e^(z_j - max) / sum_k e^(z_k - max)`` (the max subtracted before the
    exp, the sum in index order), the probability of class j (labels: the class 0..K-1 in Y's one
    column).  K_out = 2 is refused: two classes take one sigmoid output.

Parameters
    One flat list in one order: ``[W1, b1, W2, b2, ..., WL, bL]``, or ``[W1, W2, ..., WL]`` for
    the bias-free net of the lab spec.  Every gradient list and every optimizer state list is in
    the same order.

Loss (over a batch of m samples; constant factors are part of the definition)
    MSE:  ``L = (1/m) sum_s (y_hat_s - y_s)^2``             output error ``dL/dy_hat = (2/m)(y_hat - y)``
    half-MSE (Nielsen's and Mazur's): ``L = (1/2m) sum_s (y_hat_s - y_s)^2``, output error
          ``dL/dy_hat = (1/m)(y_hat - y)``.  The 1/2 is in each sample's term, ``0.5 (y_hat - y)^2``
          (so the epoch loss and trace's per-sample losses are the halves of MSE's), and the output
          delta is written ``(1/m)(y_hat - y) sigma'(z)``, as derived, not as half of MSE's.
    BCE:  ``L = -(1/m) sum_s [y log y_hat + (1-y) log(1-y_hat)]``
          computed from the output pre-activation ``z`` as ``softplus(z) - y z`` so it stays
          finite when the sigmoid saturates; with a sigmoid output ``dL/dz = (1/m)(y_hat - y)``.
    cross-entropy (K >= 3 softmax outputs, the only loss that fits them):
          ``L = -(1/m) sum_s log y_hat_s[y_s]``, each sample's term computed from z as
          ``log1p(sum_k e^(z_k - max) - 1) - (z_y - max)`` (the sum is at least 1, so the
          subtraction is exact, and log1p is the C function exact mode shares); softmax's
          Jacobian cancels the log's 1/y_hat: ``dL/dz_j = (1/m)(y_hat_j - [j == y])``.

delta
    ``delta`` of a layer is ``dL/dz`` of that layer (one value per sample and neuron), and the
    gradients are ``dL/dW = a_below^T delta`` and ``dL/db = sum over samples of delta``.

Epoch loss and accuracy (identical definition in both trainers)
    Measured during the epoch, from each batch's forward pass before that batch's update:
    ``loss = (sum over batches of the batch's summed per-sample loss) / n`` and
    ``accuracy = (samples with (y_hat > 0.5) == y) / n``; with K outputs the predicted class is
    the first largest y_hat_j (backprop_lab.classes).  For full-batch training this is the
    loss of the parameters at the start of the epoch.

Weight decay (L2; ``weight_decay`` = lambda >= 0, 0 by default)
    The trainers minimise ``L + (lambda/2) sum of w^2 over every weight`` -- the weights only,
    not the biases: a bias shifts a boundary without making the function steeper, so it is the
    usual choice to leave it free.  The epoch loss reported is ``L`` alone (the data term), so
    losses with and without decay compare like with like.  The penalty enters as its gradient:
    for each weight, ``g = dL/dw + lambda * w`` (the product rounded first, then the sum), and
    ``g`` goes into the optimizer's step in place of ``dL/dw``; with lambda = 0 the gradient is
    untouched.  With SGD this is ``w <- (1 - lr lambda) w - lr dL/dw``; with Adam it is the
    original "L2 in the gradient" (Adam's scaling applies to the decay too), not AdamW.
    derivations/generated/08_weight_decay.md proves the gradient.

Momentum (``momentum`` = beta; ``momentum_form``)
    classic (the default): ``v <- beta v + g``, ``theta <- theta - lr v``; its steady step is
    ``lr / (1 - beta)`` times the gradient.  average (seed 000's, and Adam's first moment):
    ``v <- beta v + (1 - beta) g``, ``theta <- theta - lr v``: v is a running average of the
    gradients, so its steady step is ``lr`` times the gradient.  v starts at 0 in both, and the
    averaged form has no bias correction.  The products are rounded first, then summed, in this order.

Early stop (``stop_at_accuracy`` = A in (0, 1], None by default)
    Training stops after the first epoch whose accuracy (as defined above, measured during the
    epoch) is at least A; that epoch's updates are applied.  ``epochs_run`` says how many ran.

Gradient norm per layer (``TrainResult.gradient_norms``, shape (epochs_run, L), column l-1 for W_l)
    How large layer l's weight gradient was during an epoch: the root-mean-square, over the
    epoch's k steps (batches), of the Frobenius norm of that step's ``dL/dW_l``:
    ``norm_l = sqrt((s_1 + s_2 + ... + s_k) / k)`` with ``s_t = sum over i, j of dL/dW_l[i, j]^2``
    of step t.  With full batches (k = 1) it is simply ``||dL/dW_l||`` of the epoch's one step; with
    smaller batches it is the typical size of one step's gradient, not of their sum.  It is the
    gradient of the data term ``L`` (before weight decay, as the epoch loss is), of the weights
    only.  The sums: each ``s_t`` over i then j (row by row) from 0.0, the ``s_t`` in step order
    from 0.0, then the division by k, then the square root.  Plotted on a log scale, the distance
    between the lines of layer l and layer l+1 is the factor backpropagation lost between them.

Order of floating-point operations (the contract that makes the two trainers bitwise equal)
    * a weighted sum is ``((0 + a_0 w_0j) + a_1 w_1j) + ...`` in increasing ``i``, then ``+ b_j``;
    * a sum over samples (gradients, bias gradients, the loss) runs in dataset order from 0;
    * every product and sum is rounded on its own (no fused multiply-add);
    * ``sigma'(z)`` is formed first, as ``a (1 - a)``, then multiplied into the back-propagated sum;
    * the parameters are updated in parameter order after the whole batch's gradient is known;
    * weight decay is added to a weight's gradient just before that weight's optimizer step.
"""

#: Threshold on the sigmoid output that separates the two classes.
DECISION_THRESHOLD = 0.5
