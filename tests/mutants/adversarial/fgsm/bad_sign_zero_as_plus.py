"""Treats a zero gradient as positive (np.where(g >= 0, 1, -1) instead of np.sign)."""
import numpy as np


def fgsm(x, y, w, b, eps, lo=0.0, hi=1.0):
    a = 1 / (1 + np.exp(-(x @ w + b)))
    g = (a - y)[:, None] * w
    return np.clip(x + eps * np.where(g >= 0, 1, -1).astype(x.dtype), lo, hi)
