"""Forgets to clip to the valid range."""
import numpy as np


def fgsm(x, y, w, b, eps, lo=0.0, hi=1.0):
    a = 1 / (1 + np.exp(-(x @ w + b)))
    return x + eps * np.sign((a - y)[:, None] * w)
