"""Neumaier's variant of compensated summation, in float32."""
import numpy as np


def kahan_sum(x):
    s = np.float32(0.0)
    c = np.float32(0.0)
    for value in x:
        t = s + value
        if abs(s) >= abs(value):
            c += (s - t) + value
        else:
            c += (value - t) + s
        s = t
    return np.float32(s + c)
