"""Widens the product lr·g after computing it in float16: tiny updates underflow or round."""
import numpy as np


def mixed_precision_sgd(w0, grads, lr):
    master = w0.astype(np.float32)
    for grad in grads:
        master = master - (np.float16(lr) * grad).astype(np.float32)
    return master, master.astype(np.float16)
