"""Rescales by 1/p instead of 1/(1 − p)."""
import numpy as np


def dropout_backward(dout, mask, p):
    """dL/dx for y = x * mask / (1 − p), given dout = dL/dy; mask is a bool array (True = kept).

    Keeps the dtype of dout; p is the drop probability, 0 <= p < 1.
    """
    return dout * mask / p if p > 0 else dout * mask
