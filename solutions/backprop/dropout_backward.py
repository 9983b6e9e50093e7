"""backprop/dropout_backward — the backward pass of inverted dropout with a known mask."""

import numpy as np


def dropout_backward(dout, mask, p):
    """dL/dx for y = x * mask / (1 − p), given dout = dL/dy; mask is a bool array (True = kept).

    Keeps the dtype of dout; p is the drop probability, 0 <= p < 1.
    """
    # TODO: the forward pass multiplied x by a constant per element; the backward pass does too.
    # BEGIN SOLUTION
    return dout * mask / (1 - p)
    # END SOLUTION
