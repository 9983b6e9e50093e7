"""adversarial/input_gradient — dL/dX for a linear softmax classifier, with NumPy."""

import numpy as np


def input_gradient(X, y, W, b):
    """Gradient with respect to X (N, D) of Σ_n cross-entropy(X @ W + b, y); shape (N, D)."""
    # TODO: the same backward pass as for W, but ending at X: dX = dS · Wᵀ.
    raise NotImplementedError("input_gradient is not written yet")
