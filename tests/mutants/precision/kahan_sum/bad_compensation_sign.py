"""Adds the compensation instead of subtracting it: the error is doubled, not cancelled."""
import numpy as np


def kahan_sum(x):
    s = np.float32(0.0)
    c = np.float32(0.0)
    for value in x:
        y = value + c
        t = s + y
        c = (t - s) - y
        s = t
    return s
