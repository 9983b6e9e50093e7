"""Kahan's recurrence on Python floats (float64) from tolist(): a wider accumulator."""
import numpy as np


def kahan_sum(x):
    s = c = 0.0
    for value in x.tolist():
        y = value - c
        t = s + y
        c = (t - s) - y
        s = t
    return np.float32(s)
