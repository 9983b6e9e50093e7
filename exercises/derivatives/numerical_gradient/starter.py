"""derivatives/numerical_gradient — implement numerical_gradient(f, x, h=1e-5) with NumPy."""

import numpy as np


def numerical_gradient(f, x, h=1e-5):
    """Central-difference gradient of the scalar function `f` at `x` (same shape as `x`)."""
    # TODO: for every entry x[i], nudge it by +h and by -h (all other entries fixed), call f
    # on the whole array each time, and store (f(x + h e_i) - f(x - h e_i)) / (2h) in grad[i].
    # Never modify the caller's `x`.
    raise NotImplementedError("numerical_gradient is not written yet")
