"""floor(x/step + u)·step: the same decision, written as one floor."""
import numpy as np


def stochastic_round(x, step, u):
    """Round x to the grid of `step`: up when u < p = (x - lo)/step, else down to lo."""
    lo = np.floor(x / step) * step
    return np.where(u < (x - lo) / step, lo + step, lo)
