"""np.where with a zero of dout's dtype."""
import numpy as np


def relu_backward(x, dout):
    """dL/dx for y = max(x, 0), given dout = dL/dy (same shape); slope 0 at x = 0."""
    return np.where(x > 0, dout, np.zeros_like(dout))
