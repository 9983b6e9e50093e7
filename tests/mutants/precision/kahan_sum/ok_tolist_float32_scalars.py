"""Kahan over Python numbers from tolist(), every step rounded back to float32."""
import numpy as np


def kahan_sum(x):
    f32 = np.float32
    s, c = f32(0), f32(0)
    for value in x.tolist():
        y = f32(f32(value) - c)
        t = f32(s + y)
        c = f32(f32(t - s) - y)
        s = t
    return float(s)
