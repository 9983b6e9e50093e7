"""Correct: backpropagates step by step through the graph x → μ → centred → σ² → x̂ → y."""
import numpy as np


def layer_norm_backward(x, gamma, dout, eps=1e-5):
    D = x.shape[1]
    mu = x.sum(axis=1, keepdims=True) / D
    c = x - mu
    var = (c ** 2).sum(axis=1, keepdims=True) / D
    std = np.sqrt(var + eps)
    xhat = c / std
    dxhat = dout * gamma
    dstd = -(dxhat * c).sum(axis=1, keepdims=True) / std ** 2
    dvar = dstd / (2 * std)
    dc = dxhat / std + dvar * 2 * c / D
    dx = dc - dc.sum(axis=1, keepdims=True) / D
    return {"dx": dx, "dgamma": (dout * xhat).sum(axis=0), "dbeta": dout.sum(axis=0)}
