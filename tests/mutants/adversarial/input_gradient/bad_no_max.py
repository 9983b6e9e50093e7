"""Softmax without subtracting the max: overflows for large logits."""
import numpy as np


def input_gradient(X, y, W, b):
    E = np.exp(X @ W + b)
    P = E / E.sum(axis=1, keepdims=True)
    P[np.arange(len(y)), y] -= 1
    return P @ W.T
