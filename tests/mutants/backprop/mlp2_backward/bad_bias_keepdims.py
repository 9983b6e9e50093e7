"""Bias gradients shaped (1, H) and (1, C) instead of like the biases."""
import numpy as np


def mlp2_backward(X, y, W1, b1, W2, b2):
    N = X.shape[0]
    Z1 = X @ W1 + b1
    H = np.maximum(Z1, 0.0)
    logits = H @ W2 + b2
    P = np.exp(logits - logits.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    P[np.arange(N), y] -= 1.0
    dlogits = P / N
    dZ1 = (dlogits @ W2.T) * (Z1 > 0)
    return {"W1": X.T @ dZ1, "b1": dZ1.sum(axis=0, keepdims=True), "W2": H.T @ dlogits,
            "b2": dlogits.sum(axis=0, keepdims=True)}
