"""Forgets keepdims: broadcasting goes wrong for 2-D input."""
import numpy as np


def softmax(z, axis=-1):
    e = np.exp(z - np.max(z))
    return e / np.sum(e, axis=axis)
