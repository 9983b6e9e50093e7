"""Correct: explicit sums over the last axis with einsum and a reciprocal square root."""
import numpy as np


def layer_norm(x, gamma, beta, eps=1e-5):
    D = x.shape[-1]
    centred = x - x.sum(axis=-1, keepdims=True) / D
    var = np.einsum("...d,...d->...", centred, centred)[..., None] / D
    inv = 1.0 / np.sqrt(var + eps)
    return (gamma * (centred * inv) + beta).astype(x.dtype)
