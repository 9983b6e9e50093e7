"""The path starts at 0 instead of at the baseline."""
import numpy as np


def integrated_gradients(x, baseline, W1, b1, W2, b2, target, steps):
    alphas = (np.arange(steps) + 0.5) / steps
    points = alphas[:, None] * x
    grads = ((points @ W1 + b1 > 0) * W2[:, target]) @ W1.T
    return ((x - baseline) * grads.mean(axis=0)).astype(x.dtype)
