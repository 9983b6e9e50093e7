"""Uses sign(w) for every example, ignoring the label."""
import numpy as np


def fgsm(x, y, w, b, eps, lo=0.0, hi=1.0):
    return np.clip(x + eps * np.sign(w), lo, hi)
