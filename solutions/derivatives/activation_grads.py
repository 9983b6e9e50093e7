"""derivatives/activation_grads — the derivatives of sigmoid, tanh and ReLU, elementwise."""

import numpy as np


def sigmoid_grad(x):
    """σ'(x) = σ(x)(1 − σ(x)) elementwise: same shape and dtype as `x`, finite for any x."""
    # TODO: compute σ(x) without overflow (np.exp(1000.0) is inf), then σ(x)(1 − σ(x)).
    # BEGIN SOLUTION
    e = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    s = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    return s * (1 - s)
    # END SOLUTION


def tanh_grad(x):
    """tanh'(x) = 1 − tanh²(x) for every element of `x`: same shape and dtype."""
    # BEGIN SOLUTION
    t = np.tanh(x)
    return 1 - t * t
    # END SOLUTION


def relu_grad(x):
    """relu'(x): 1 where x > 0, else 0 (also at x = 0), as an array of x's dtype."""
    # BEGIN SOLUTION
    return (x > 0).astype(x.dtype)
    # END SOLUTION
