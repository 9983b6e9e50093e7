"""Correct: divides by the step, rint (ties to even), then min/max against the range."""
import numpy as np


def to_fixed_point(x, int_bits, frac_bits):
    step = 2.0 ** -frac_bits
    lowest = -(2.0 ** (int_bits + frac_bits - 1))
    highest = -lowest - 1
    k = np.rint(np.asarray(x, dtype=np.float64) / step)
    k = np.minimum(np.maximum(k, lowest), highest)
    return k * step
