"""Squeezes the results: with N = 1 the batch axis of dX disappears."""
import numpy as np


def linear_backward(X, W, b, dY):
    return {"dX": np.squeeze(dY @ W.T), "dW": X.T @ dY, "db": dY.sum(axis=0)}
