"""Kahan's loop, then the last compensation applied to the result (s − c), all in float32."""
import numpy as np


def kahan_sum(x):
    s = np.float32(0.0)
    c = np.float32(0.0)
    for i in range(x.shape[0]):
        y = x[i] - c
        t = s + y
        c = (t - s) - y
        s = t
    return np.float32(s - c)
