"""backprop/tanh_backward — the backward pass of an elementwise tanh layer."""

import numpy as np


def tanh_backward(x, dout):
    """dL/dx for y = tanh(x), given dout = dL/dy (same shape); keeps the dtype of x."""
    # TODO: local derivative 1 − tanh²(x), times the upstream gradient.
    raise NotImplementedError("tanh_backward is not written yet")
