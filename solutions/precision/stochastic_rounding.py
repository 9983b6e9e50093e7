"""precision/stochastic_rounding — implement stochastic_round(x, step, u) with NumPy."""

import numpy as np


def stochastic_round(x, step, u):
    """Round x to the grid of `step`: up when u < p = (x - lo)/step, else down to lo."""
    # TODO: find lo, the grid point at or below x, and p, how far x is from lo (in steps);
    # round up where u < p.
    # BEGIN SOLUTION
    lo = np.floor(x / step) * step
    p = (x - lo) / step
    return np.where(u < p, lo + step, lo)
    # END SOLUTION
