"""precision/kahan_sum — implement kahan_sum(x) with NumPy, in float32."""

import numpy as np


def kahan_sum(x):
    """Compensated float32 sum of a 1-D float32 array, as np.float32."""
    # TODO: loop over x keeping a float32 running sum s and a float32 compensation c.
    raise NotImplementedError("kahan_sum is not written yet")
