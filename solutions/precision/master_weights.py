"""precision/master_weights — implement mixed_precision_sgd(w0, grads, lr) with NumPy."""

import numpy as np


def mixed_precision_sgd(w0, grads, lr):
    """K SGD steps on a float32 master copy of float16 weights: (master, float16 copy)."""
    # TODO: widen w0 to a float32 master copy, apply every step to it in float32, then make
    # the float16 copy.
    # BEGIN SOLUTION
    master = w0.astype(np.float32)
    for grad in grads:
        master = master - lr * grad.astype(np.float32)
    return master, master.astype(np.float16)
    # END SOLUTION
