"""derivatives/numerical_gradient — implement numerical_gradient(f, x, h=1e-5) with NumPy."""

import numpy as np


def numerical_gradient(f, x, h=1e-5):
    """Central-difference gradient of the scalar function `f` at `x` (same shape as `x`)."""
    # TODO: for every entry x[i], nudge it by +h and by -h (all other entries fixed), call f
    # on the whole array each time, and store (f(x + h e_i) - f(x - h e_i)) / (2h) in grad[i].
    # Never modify the caller's `x`.
    # BEGIN SOLUTION
    x = np.array(x, dtype=np.float64)  # a private copy: the caller's x is never touched
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        old = x[index]
        x[index] = old + h
        f_plus = f(x)
        x[index] = old - h
        f_minus = f(x)
        x[index] = old
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad
    # END SOLUTION
