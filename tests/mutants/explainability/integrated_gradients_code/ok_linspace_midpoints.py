"""Midpoints from linspace over the cell centres, einsum for the gradients."""
import numpy as np


def integrated_gradients(x, baseline, W1, b1, W2, b2, target, steps):
    half = 0.5 / steps
    alphas = np.linspace(half, 1 - half, steps).astype(x.dtype)
    points = baseline[None, :] + np.outer(alphas, x - baseline)
    fires = np.heaviside(points @ W1 + b1, 0).astype(x.dtype)
    grads = np.einsum("sh,h,dh->sd", fires, W2[:, target], W1)
    return (x - baseline) * grads.sum(axis=0) / steps
