"""Rounds ties away from zero."""
import numpy as np


def to_fixed_point(x, int_bits, frac_bits):
    n = int_bits + frac_bits
    v = x * 2.0 ** frac_bits
    k = np.sign(v) * np.floor(np.abs(v) + 0.5)
    k = np.clip(k, -(2.0 ** (n - 1)), 2.0 ** (n - 1) - 1)
    return k * 2.0 ** -frac_bits
