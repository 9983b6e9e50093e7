"""Ignores that μ and σ² depend on x: dx = dout·γ/σ."""
import numpy as np


def layer_norm_backward(x, gamma, dout, eps=1e-5):
    mu = x.mean(axis=-1, keepdims=True)
    sigma = np.sqrt(x.var(axis=-1, keepdims=True) + eps)
    xhat = (x - mu) / sigma
    return {"dx": dout * gamma / sigma, "dgamma": (dout * xhat).sum(0), "dbeta": dout.sum(0)}
