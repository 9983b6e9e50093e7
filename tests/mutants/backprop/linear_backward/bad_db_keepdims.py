"""db keeps the batch axis: shape (1, H) instead of (H,)."""
import numpy as np


def linear_backward(X, W, b, dY):
    return {"dX": dY @ W.T, "dW": X.T @ dY, "db": dY.sum(axis=0, keepdims=True)}
