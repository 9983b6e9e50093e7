"""r < delta: at r = delta both pieces agree."""
import numpy as np


def huber(pred, target, delta=1.0):
    """Mean Huber loss with threshold `delta` over every element."""
    r = np.abs(pred - target)
    losses = np.where(r < delta, 0.5 * r ** 2, delta * (r - 0.5 * delta))
    return float(np.mean(losses))
