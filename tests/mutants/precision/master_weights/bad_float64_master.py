"""Keeps the master copy in float64 instead of float32 (rounded to float32 only at the end)."""
import numpy as np


def mixed_precision_sgd(w0, grads, lr):
    master = w0.astype("float64")
    for grad in grads:
        master = master - lr * grad.astype("float64")
    return master.astype(np.float32), master.astype(np.float16)
