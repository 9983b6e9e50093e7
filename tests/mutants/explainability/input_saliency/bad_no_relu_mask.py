"""Backpropagates as if the hidden layer were linear (no ReLU mask)."""
import numpy as np


def saliency(X, W1, b1, W2, b2, target, method="gradient"):
    grad = W2[:, target].T @ W1.T
    return grad * X if method == "gradient_x_input" else grad
