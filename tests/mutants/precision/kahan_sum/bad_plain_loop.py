"""Plain left-to-right float32 summation: no compensation."""
import numpy as np


def kahan_sum(x):
    s = np.float32(0.0)
    for value in x:
        s = s + value
    return s
