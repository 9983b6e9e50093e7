"""adversarial/input_gradient — dL/dX for a linear softmax classifier, with NumPy."""

import numpy as np


def input_gradient(X, y, W, b):
    """Gradient with respect to X (N, D) of Σ_n cross-entropy(X @ W + b, y); shape (N, D)."""
    # TODO: the same backward pass as for W, but ending at X: dX = dS · Wᵀ.
    # BEGIN SOLUTION
    S = X @ W + b
    P = np.exp(S - np.max(S, axis=1, keepdims=True))
    P /= np.sum(P, axis=1, keepdims=True)
    P[np.arange(len(y)), y] -= 1.0
    return P @ W.T
    # END SOLUTION
