"""Rounds correctly but never saturates."""
import numpy as np


def to_fixed_point(x, int_bits, frac_bits):
    return np.round(x * 2.0 ** frac_bits) * 2.0 ** -frac_bits
