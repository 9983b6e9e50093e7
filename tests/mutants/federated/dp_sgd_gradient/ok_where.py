"""Clip factors with np.divide(where=...), noise folded into the mean."""
import numpy as np


def dp_sgd_gradient(grads, clip_norm, noise_multiplier, noise):
    norms = np.linalg.norm(grads, axis=1)
    ratio = np.divide(clip_norm, norms, out=np.ones_like(norms), where=norms > 0)
    clipped = grads * np.minimum(ratio, 1.0)[:, None]
    B = grads.shape[0]
    return clipped.mean(axis=0) + (noise_multiplier * clip_norm / B) * noise
