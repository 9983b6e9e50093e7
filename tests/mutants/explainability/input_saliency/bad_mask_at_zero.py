"""Lets gradient through a unit sitting exactly at 0 (relu'(0) = 1)."""
import numpy as np


def saliency(X, W1, b1, W2, b2, target, method="gradient"):
    mask = (X @ W1 + b1 >= 0).astype(X.dtype)
    grad = (W2[:, target].T * mask) @ W1.T
    return grad * X if method == "gradient_x_input" else grad
