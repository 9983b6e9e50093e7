"""Keeps the mean's path but forgets the variance's: dx = (dx̂ − mean(dx̂))/σ."""
import numpy as np


def layer_norm_backward(x, gamma, dout, eps=1e-5):
    mu = x.mean(axis=-1, keepdims=True)
    inv = 1.0 / np.sqrt(x.var(axis=-1, keepdims=True) + eps)
    xhat = (x - mu) * inv
    dxhat = dout * gamma
    dx = inv * (dxhat - dxhat.mean(-1, keepdims=True))
    return {"dx": dx, "dgamma": (dout * xhat).sum(0), "dbeta": dout.sum(0)}
