"""1/(σ + eps) instead of 1/sqrt(σ² + eps): wrong where the variance is small."""
import numpy as np


def batchnorm_backward(x, gamma, dout, eps=1e-5):
    """Gradients of y = gamma * (x − μ) / sqrt(σ² + eps) + beta, statistics over the batch.

    x (N, D), gamma (D,), dout (N, D) = dL/dy. μ and σ² are the mean and the biased (÷N)
    variance of each column of x. Returns {"dx": (N, D), "dgamma": (D,), "dbeta": (D,)}.
    """
    N = x.shape[0]
    mu = np.mean(x, axis=0)
    inv_std = 1.0 / (np.sqrt(np.mean((x - mu) ** 2, axis=0)) + eps)
    xhat = (x - mu) * inv_std
    dbeta = np.sum(dout, axis=0)
    dgamma = np.sum(dout * xhat, axis=0)
    dxhat = dout * gamma
    dx = (inv_std / N) * (N * dxhat - np.sum(dxhat, axis=0)
                          - xhat * np.sum(dxhat * xhat, axis=0))
    return {"dx": dx, "dgamma": dgamma, "dbeta": dbeta}
