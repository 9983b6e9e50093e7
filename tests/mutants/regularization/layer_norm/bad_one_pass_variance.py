"""Variance as mean(x²) − μ²: catastrophic cancellation in float32 for a large mean."""
import numpy as np


def layer_norm(x, gamma, beta, eps=1e-5):
    mu = np.mean(x, axis=-1, keepdims=True)
    var = np.mean(x * x, axis=-1, keepdims=True) - mu * mu
    return (x - mu) / np.sqrt(np.maximum(var, 0) + eps) * gamma + beta
