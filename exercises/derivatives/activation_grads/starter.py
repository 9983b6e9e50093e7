"""derivatives/activation_grads — the derivatives of sigmoid, tanh and ReLU, elementwise."""

import numpy as np


def sigmoid_grad(x):
    """σ'(x) = σ(x)(1 − σ(x)) elementwise: same shape and dtype as `x`, finite for any x."""
    # TODO: compute σ(x) without overflow (np.exp(1000.0) is inf), then σ(x)(1 − σ(x)).
    raise NotImplementedError("sigmoid_grad is not written yet")


def tanh_grad(x):
    """tanh'(x) = 1 − tanh²(x) for every element of `x`: same shape and dtype."""
    raise NotImplementedError("tanh_grad is not written yet")


def relu_grad(x):
    """relu'(x): 1 where x > 0, else 0 (also at x = 0), as an array of x's dtype."""
    raise NotImplementedError("relu_grad is not written yet")
