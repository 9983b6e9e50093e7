"""Rounds ties away from zero (adds half an ulp, then truncates)."""
import numpy as np


def round_to_bfloat16(x):
    bits = x.view(np.uint32)
    rounded = ((bits + np.uint32(0x8000)) & np.uint32(0xFFFF0000)).view(np.float32)
    return np.where(np.isnan(x), x, rounded)
