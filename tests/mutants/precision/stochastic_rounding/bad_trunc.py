"""np.trunc: the wrong neighbour for negative x."""
import numpy as np


def stochastic_round(x, step, u):
    """Round x to the grid of `step`: up when u < p = (x - lo)/step, else down to lo."""
    lo = np.trunc(x / step) * step
    p = (x - lo) / step
    return np.where(u < p, lo + step, lo)
