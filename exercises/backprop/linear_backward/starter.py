"""backprop/linear_backward — the backward pass of a fully connected layer Y = X @ W + b."""

import numpy as np


def linear_backward(X, W, b, dY):
    """Gradients of a linear layer Y = X @ W + b, given the upstream gradient dY = dL/dY.

    X (N, D), W (D, H), b (H,), dY (N, H). Returns {"dX": (N, D), "dW": (D, H), "db": (H,)}.
    """
    # TODO: each gradient has the shape of the thing it is the gradient of; match the shapes.
    raise NotImplementedError("linear_backward is not written yet")
