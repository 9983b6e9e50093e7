"""precision/round_to_bfloat16 — implement round_to_bfloat16(x) with NumPy."""

import numpy as np


def round_to_bfloat16(x):
    """float32 array -> float32 array of the nearest bfloat16 values (ties to even)."""
    # TODO: work on the bits (x.view(np.uint32)): round the low 16 bits away, ties to even,
    # and keep nan as nan.
    # BEGIN SOLUTION
    bits = x.view(np.uint32)
    lsb = (bits >> 16) & 1
    rounded = ((bits + 0x7FFF + lsb) & 0xFFFF0000).view(np.float32)
    return np.where(np.isnan(x), x, rounded)
    # END SOLUTION
