"""Steps down the loss instead of up."""
import numpy as np


def fgsm(x, y, w, b, eps, lo=0.0, hi=1.0):
    a = 1 / (1 + np.exp(-(x @ w + b)))
    return np.clip(x - eps * np.sign((a - y)[:, None] * w), lo, hi)
