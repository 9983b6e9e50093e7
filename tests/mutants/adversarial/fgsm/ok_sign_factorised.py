"""Correct: sign(a − y)·sign(w) as an outer product (the sign of a product), tanh sigmoid."""
import numpy as np


def fgsm(x, y, w, b, eps, lo=0.0, hi=1.0):
    z = x @ w + b
    a = 0.5 * (1 + np.tanh(0.5 * z))
    step = np.outer(np.sign(a - y), np.sign(w)).astype(x.dtype)
    return np.minimum(np.maximum(x + eps * step, lo), hi)
