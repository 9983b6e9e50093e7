"""Updates the float16 weights directly: small updates are swamped."""
import numpy as np


def mixed_precision_sgd(w0, grads, lr):
    w = w0
    for grad in grads:
        w = w - lr * grad
    return w.astype(np.float32), w
