"""Noise of standard deviation σ instead of σ·C."""
import numpy as np


def dp_sgd_gradient(grads, clip_norm, noise_multiplier, noise):
    norms = np.linalg.norm(grads, axis=1, keepdims=True)
    factor = np.minimum(1.0, clip_norm / np.maximum(norms, 1e-300))
    return (np.sum(grads * factor, axis=0) + noise_multiplier * noise) / len(grads)
