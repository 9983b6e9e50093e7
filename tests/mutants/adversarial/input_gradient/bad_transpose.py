"""Multiplies by W instead of Wᵀ (works only when D = C, and then gives the wrong values)."""
import numpy as np


def input_gradient(X, y, W, b):
    S = X @ W + b
    P = np.exp(S - S.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    P[np.arange(len(y)), y] -= 1
    return (W @ P.T).T if W.shape[0] == W.shape[1] else P @ W.T * 0
