"""Keeps the float16 copy as its own float16 weights instead of rounding the master."""
import numpy as np


def mixed_precision_sgd(w0, grads, lr):
    master = w0.astype(np.float32)
    half = w0.copy()
    for grad in grads:
        master = master - lr * grad.astype(np.float32)
        half = half - np.float16(lr) * grad
    return master, half
