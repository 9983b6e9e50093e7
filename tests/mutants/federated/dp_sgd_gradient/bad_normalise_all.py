"""Rescales every gradient to norm C, even short ones."""
import numpy as np


def dp_sgd_gradient(grads, clip_norm, noise_multiplier, noise):
    norms = np.linalg.norm(grads, axis=1, keepdims=True)
    unit = np.divide(grads, norms, out=np.zeros_like(grads), where=norms > 0)
    return (np.sum(unit * clip_norm, axis=0) + noise_multiplier * clip_norm * noise) / len(grads)
