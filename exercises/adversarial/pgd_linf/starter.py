"""adversarial/pgd_linf — L∞ projected gradient ascent on a linear softmax classifier."""

import numpy as np


def _input_gradient(x, y, W, b):
    S = x @ W + b
    P = np.exp(S - np.max(S, axis=1, keepdims=True))
    P /= np.sum(P, axis=1, keepdims=True)
    P[np.arange(len(y)), y] -= 1.0
    return P @ W.T


def pgd_linf(x, y, W, b, eps, alpha, steps, lo=0.0, hi=1.0):
    """`steps` PGD steps from x: sign-gradient ascent, projected on the ε-ball and [lo, hi]."""
    # TODO: repeat: step by alpha·sign(gradient at the current point), clip to the ε-ball
    # around the original x, clip to [lo, hi].
    raise NotImplementedError("pgd_linf is not written yet")
