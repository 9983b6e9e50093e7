"""No max subtraction: exp overflows for large logits."""
import numpy as np


def softmax(z, axis=-1):
    e = np.exp(z)
    return e / np.sum(e, axis=axis, keepdims=True)
