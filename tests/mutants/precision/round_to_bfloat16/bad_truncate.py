"""Truncates: drops the low 16 bits (round toward zero)."""
import numpy as np


def round_to_bfloat16(x):
    return (x.view(np.uint32) & np.uint32(0xFFFF0000)).view(np.float32)
