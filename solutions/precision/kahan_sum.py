"""precision/kahan_sum — implement kahan_sum(x) with NumPy, in float32."""

import numpy as np


def kahan_sum(x):
    """Compensated float32 sum of a 1-D float32 array, as np.float32."""
    # TODO: loop over x keeping a float32 running sum s and a float32 compensation c.
    # BEGIN SOLUTION
    s = np.float32(0.0)
    c = np.float32(0.0)
    for value in x:
        y = value - c
        t = s + y
        c = (t - s) - y
        s = t
    return s
    # END SOLUTION
