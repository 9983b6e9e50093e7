"""Correct: one-hot targets and einsum, softmax through log-sum-exp."""
import numpy as np


def input_gradient(X, y, W, b):
    S = X @ W + b
    lse = np.logaddexp.reduce(S, axis=1, keepdims=True)
    Y = np.eye(W.shape[1])[y]
    return np.einsum("nc,dc->nd", np.exp(S - lse) - Y, W)
