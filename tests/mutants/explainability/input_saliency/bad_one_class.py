"""Uses the first example's class for the whole batch."""
import numpy as np


def saliency(X, W1, b1, W2, b2, target, method="gradient"):
    mask = (X @ W1 + b1 > 0).astype(X.dtype)
    grad = (W2[:, target[0]] * mask) @ W1.T
    return grad * X if method == "gradient_x_input" else grad
