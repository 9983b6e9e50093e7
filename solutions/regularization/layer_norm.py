"""regularization/layer_norm — implement layer_norm(x, gamma, beta, eps=1e-5) with NumPy."""

import numpy as np


def layer_norm(x, gamma, beta, eps=1e-5):
    """Normalise each example of x (..., D) over its last axis, then scale by gamma, shift by beta.

    Biased variance, eps inside the square root; same shape and dtype as x.
    """
    # TODO: mean and variance over the last axis (keepdims), standardise, then γ·x̂ + β.
    # BEGIN SOLUTION
    mu = np.mean(x, axis=-1, keepdims=True)
    centred = x - mu
    var = np.mean(centred * centred, axis=-1, keepdims=True)
    return centred / np.sqrt(var + eps) * gamma + beta
    # END SOLUTION
