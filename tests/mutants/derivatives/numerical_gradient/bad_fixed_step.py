"""Ignores the h argument and always uses 1e-5."""
import numpy as np


def numerical_gradient(f, x, h=1e-5):
    step = 1e-5
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + step
        plus = f(x)
        x[i] = old - step
        minus = f(x)
        x[i] = old
        grad[i] = (plus - minus) / (2 * step)
    return grad
