"""Clamps to a symmetric range, losing the most negative value."""
import numpy as np


def to_fixed_point(x, int_bits, frac_bits):
    n = int_bits + frac_bits
    top = 2.0 ** (n - 1) - 1
    k = np.clip(np.round(x * 2.0 ** frac_bits), -top, top)
    return k * 2.0 ** -frac_bits
