"""regularization/layer_norm_backward — the backward pass of layer normalisation."""

import numpy as np


def layer_norm_backward(x, gamma, dout, eps=1e-5):
    """Gradients of y = gamma * (x − μ) / sqrt(σ² + eps) + beta, statistics over each row.

    x (N, D), gamma (D,), dout (N, D) = dL/dy. μ and σ² are the mean and the biased (÷D)
    variance of each row of x. Returns {"dx": (N, D), "dgamma": (D,), "dbeta": (D,)}.
    """
    # TODO: recompute x̂ per row; γ and β collect over the batch, dx over the row's features.
    # BEGIN SOLUTION
    mu = np.mean(x, axis=-1, keepdims=True)
    centred = x - mu
    inv_std = 1.0 / np.sqrt(np.mean(centred * centred, axis=-1, keepdims=True) + eps)
    xhat = centred * inv_std
    dxhat = dout * gamma
    dx = inv_std * (dxhat - np.mean(dxhat, axis=-1, keepdims=True)
                    - xhat * np.mean(dxhat * xhat, axis=-1, keepdims=True))
    return {"dx": dx, "dgamma": np.sum(dout * xhat, axis=0), "dbeta": np.sum(dout, axis=0)}
    # END SOLUTION
