"""Ties to even but forgets nan: a nan payload can carry into inf."""
import numpy as np


def round_to_bfloat16(x):
    bits = x.view(np.uint32)
    lsb = (bits >> 16) & 1
    return ((bits + 0x7FFF + lsb) & 0xFFFF0000).astype(np.uint32).view(np.float32)
