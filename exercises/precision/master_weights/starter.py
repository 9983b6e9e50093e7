"""precision/master_weights — implement mixed_precision_sgd(w0, grads, lr) with NumPy."""

import numpy as np


def mixed_precision_sgd(w0, grads, lr):
    """K SGD steps on a float32 master copy of float16 weights: (master, float16 copy)."""
    # TODO: widen w0 to a float32 master copy, apply every step to it in float32, then make
    # the float16 copy.
    raise NotImplementedError("mixed_precision_sgd is not written yet")
