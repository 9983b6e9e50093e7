"""backprop/mlp2_backward — gradients of a two-layer ReLU network with a softmax cross-entropy loss."""

import numpy as np


def mlp2_backward(X, y, W1, b1, W2, b2):
    """Gradients of loss = mean cross-entropy(relu(X @ W1 + b1) @ W2 + b2, y).

    X (N, D), y (N,) int class indices, W1 (D, H), b1 (H,), W2 (H, C), b2 (C,).
    Returns {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}, each shaped like its parameter.
    """
    # TODO: forward (keep Z1, H and the softmax probabilities), then backward layer by layer.
    raise NotImplementedError("mlp2_backward is not written yet")
