"""backprop/mlp2_backward — gradients of a two-layer ReLU network with a softmax cross-entropy loss."""

import numpy as np


def mlp2_backward(X, y, W1, b1, W2, b2):
    """Gradients of loss = mean cross-entropy(relu(X @ W1 + b1) @ W2 + b2, y).

    X (N, D), y (N,) int class indices, W1 (D, H), b1 (H,), W2 (H, C), b2 (C,).
    Returns {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}, each shaped like its parameter.
    """
    # TODO: forward (keep Z1, H and the softmax probabilities), then backward layer by layer.
    # BEGIN SOLUTION
    N = X.shape[0]
    Z1 = X @ W1 + b1                                  # (N, H)
    H = np.maximum(Z1, 0.0)
    logits = H @ W2 + b2                              # (N, C)
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    P = np.exp(shifted)
    P /= np.sum(P, axis=1, keepdims=True)
    dlogits = P.copy()                                # d(mean CE)/dlogits = (P − onehot) / N
    dlogits[np.arange(N), y] -= 1.0
    dlogits /= N
    dW2 = H.T @ dlogits
    db2 = np.sum(dlogits, axis=0)
    dH = dlogits @ W2.T
    dZ1 = dH * (Z1 > 0)                               # ReLU passes gradient only where z > 0
    dW1 = X.T @ dZ1
    db1 = np.sum(dZ1, axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
    # END SOLUTION
