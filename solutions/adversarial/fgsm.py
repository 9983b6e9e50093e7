"""adversarial/fgsm — one fast-gradient-sign step against logistic regression, with NumPy."""

import numpy as np


def fgsm(x, y, w, b, eps, lo=0.0, hi=1.0):
    """x + eps·sign(∇x BCE(σ(x·w + b), y)), clipped to [lo, hi]; same shape and dtype as x."""
    # TODO: the input gradient of each example's loss, its sign, one step up, then clip.
    # BEGIN SOLUTION
    a = 1.0 / (1.0 + np.exp(-(x @ w + b)))
    grad = (a - y)[:, None] * w
    return np.clip(x + eps * np.sign(grad), lo, hi)
    # END SOLUTION
