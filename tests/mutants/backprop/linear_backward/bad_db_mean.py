"""db averages dY over the batch instead of summing it."""
import numpy as np


def linear_backward(X, W, b, dY):
    return {"dX": dY @ W.T, "dW": X.T @ dY, "db": dY.mean(axis=0)}
