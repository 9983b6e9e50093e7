"""backprop/relu_backward — the backward pass of an elementwise ReLU layer."""

import numpy as np


def relu_backward(x, dout):
    """dL/dx for y = max(x, 0), given dout = dL/dy (same shape); slope 0 at x = 0."""
    # TODO: let the upstream gradient through where the input was positive, block it elsewhere.
    # BEGIN SOLUTION
    return dout * (x > 0)
    # END SOLUTION
