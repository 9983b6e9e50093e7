"""floor(v + 0.5): every tie rounds up."""
import numpy as np


def to_fixed_point(x, int_bits, frac_bits):
    n = int_bits + frac_bits
    k = np.floor(x * 2.0 ** frac_bits + 0.5)
    k = np.clip(k, -(2.0 ** (n - 1)), 2.0 ** (n - 1) - 1)
    return k * 2.0 ** -frac_bits
