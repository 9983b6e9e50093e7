"""precision/fixed_point — implement to_fixed_point(x, int_bits, frac_bits) with NumPy."""

import numpy as np


def to_fixed_point(x, int_bits, frac_bits):
    """Nearest k·2^-frac_bits (ties to even), k saturated to the signed n-bit range."""
    # TODO: scale by 2**frac_bits, round to an integer (ties to even), clamp to
    # [-2**(n-1), 2**(n-1) - 1] with n = int_bits + frac_bits, and scale back.
    # BEGIN SOLUTION
    n = int_bits + frac_bits
    k = np.round(x * 2.0**frac_bits)
    k = np.clip(k, -(2.0 ** (n - 1)), 2.0 ** (n - 1) - 1)
    return k * 2.0**-frac_bits
    # END SOLUTION
