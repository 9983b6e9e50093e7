"""Truncates toward zero instead of rounding."""
import numpy as np


def to_fixed_point(x, int_bits, frac_bits):
    n = int_bits + frac_bits
    k = np.clip(np.trunc(x * 2.0 ** frac_bits), -(2.0 ** (n - 1)), 2.0 ** (n - 1) - 1)
    return k * 2.0 ** -frac_bits
