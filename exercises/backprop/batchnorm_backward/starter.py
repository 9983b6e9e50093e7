"""backprop/batchnorm_backward — the backward pass of batch normalisation in training mode."""

import numpy as np


def batchnorm_backward(x, gamma, dout, eps=1e-5):
    """Gradients of y = gamma * (x − μ) / sqrt(σ² + eps) + beta, statistics over the batch.

    x (N, D), gamma (D,), dout (N, D) = dL/dy. μ and σ² are the mean and the biased (÷N)
    variance of each column of x. Returns {"dx": (N, D), "dgamma": (D,), "dbeta": (D,)}.
    """
    # TODO: recompute x̂ from the forward pass, then remember that μ and σ² depend on x too.
    raise NotImplementedError("batchnorm_backward is not written yet")
