"""Example by example, with an explicit test on the norm."""
import numpy as np


def dp_sgd_gradient(grads, clip_norm, noise_multiplier, noise):
    total = np.zeros(grads.shape[1])
    for g in grads:
        norm = np.sqrt(np.sum(g * g))
        total += g * (clip_norm / norm) if norm > clip_norm else g
    return (total + noise_multiplier * clip_norm * noise) / len(grads)
