"""np.linspace(0, 1, steps): both ends included, so not the midpoint rule."""
import numpy as np


def integrated_gradients(x, baseline, W1, b1, W2, b2, target, steps):
    alphas = np.linspace(0, 1, steps)
    points = baseline + alphas[:, None] * (x - baseline)
    grads = ((points @ W1 + b1 > 0) * W2[:, target]) @ W1.T
    return ((x - baseline) * grads.mean(axis=0)).astype(x.dtype)
