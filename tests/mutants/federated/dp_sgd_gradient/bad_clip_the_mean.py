"""Clips the averaged gradient instead of each example's."""
import numpy as np


def dp_sgd_gradient(grads, clip_norm, noise_multiplier, noise):
    mean = grads.mean(axis=0)
    norm = np.linalg.norm(mean)
    if norm > clip_norm:
        mean = mean * clip_norm / norm
    return mean + noise_multiplier * clip_norm * noise / len(grads)
