"""The min(r, δ) form: ½q² + δ(r − q) with q = min(r, δ)."""
import numpy as np


def huber(pred, target, delta=1.0):
    """Mean Huber loss with threshold `delta` over every element."""
    r = np.abs(pred - target)
    q = np.minimum(r, delta)
    losses = 0.5 * q ** 2 + delta * (r - q)
    return float(np.mean(losses))
