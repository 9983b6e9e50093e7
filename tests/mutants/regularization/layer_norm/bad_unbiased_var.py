"""Uses the unbiased variance (ddof=1)."""
import numpy as np


def layer_norm(x, gamma, beta, eps=1e-5):
    mu = np.mean(x, axis=-1, keepdims=True)
    var = np.var(x, axis=-1, ddof=1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * gamma + beta
