"""Correct: compares the dropped bits with one half, ties decided by the kept last bit."""
import numpy as np


def round_to_bfloat16(x):
    bits = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32).astype(np.uint64)
    kept = bits & 0xFFFF0000
    dropped = bits & 0xFFFF
    odd = (kept >> 16) & 1
    up = (dropped > 0x8000) | ((dropped == 0x8000) & (odd == 1))
    result = np.where(up, kept + 0x10000, kept).astype(np.uint32).view(np.float32)
    return np.where(np.isnan(x), np.float32(np.nan), result).astype(np.float32).reshape(np.shape(x))
