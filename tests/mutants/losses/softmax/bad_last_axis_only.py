"""Ignores `axis`: always normalises over the last axis."""
import numpy as np


def softmax(z, axis=-1):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)
