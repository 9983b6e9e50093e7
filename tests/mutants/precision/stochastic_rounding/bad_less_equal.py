"""u <= p: a value on the grid moves up when u = 0."""
import numpy as np


def stochastic_round(x, step, u):
    """Round x to the grid of `step`: up when u < p = (x - lo)/step, else down to lo."""
    lo = np.floor(x / step) * step
    p = (x - lo) / step
    return np.where(u <= p, lo + step, lo)
