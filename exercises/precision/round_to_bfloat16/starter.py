"""precision/round_to_bfloat16 — implement round_to_bfloat16(x) with NumPy."""

import numpy as np


def round_to_bfloat16(x):
    """float32 array -> float32 array of the nearest bfloat16 values (ties to even)."""
    # TODO: work on the bits (x.view(np.uint32)): round the low 16 bits away, ties to even,
    # and keep nan as nan.
    raise NotImplementedError("round_to_bfloat16 is not written yet")
