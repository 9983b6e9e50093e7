"""np.where on the mask, in dout's dtype."""
import numpy as np


def dropout_backward(dout, mask, p):
    """dL/dx for y = x * mask / (1 − p), given dout = dL/dy; mask is a bool array (True = kept).

    Keeps the dtype of dout; p is the drop probability, 0 <= p < 1.
    """
    return np.where(mask, dout / (1 - p), np.zeros_like(dout))
