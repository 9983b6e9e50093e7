"""Builds db with np.ones (float64): float32 inputs give a float64 db."""
import numpy as np


def linear_backward(X, W, b, dY):
    return {"dX": dY @ W.T, "dW": X.T @ dY, "db": np.ones(dY.shape[0]) @ dY}
