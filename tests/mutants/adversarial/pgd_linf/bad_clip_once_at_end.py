"""Projects and clips only once, after the last step."""
import numpy as np


def _grad(x, y, W, b):
    S = x @ W + b
    P = np.exp(S - S.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    P[np.arange(len(y)), y] -= 1
    return P @ W.T


def pgd_linf(x, y, W, b, eps, alpha, steps, lo=0.0, hi=1.0):
    adv = x.copy()
    for _ in range(steps):
        adv = adv + alpha * np.sign(_grad(adv, y, W, b))
    return np.clip(np.clip(adv, x - eps, x + eps), lo, hi)
