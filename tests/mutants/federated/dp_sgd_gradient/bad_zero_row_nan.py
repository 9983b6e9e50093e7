"""Direction times clipped length: a zero row gives 0/0 = nan."""
import numpy as np


def dp_sgd_gradient(grads, clip_norm, noise_multiplier, noise):
    norms = np.linalg.norm(grads, axis=1, keepdims=True)
    clipped = grads / norms * np.minimum(norms, clip_norm)
    return (clipped.sum(axis=0) + noise_multiplier * clip_norm * noise) / len(grads)
