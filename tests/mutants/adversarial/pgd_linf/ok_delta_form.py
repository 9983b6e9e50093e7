"""Correct: iterates on the perturbation δ, with the gradient of the mean loss (same sign)."""
import numpy as np


def pgd_linf(x, y, W, b, eps, alpha, steps, lo=0.0, hi=1.0):
    delta = np.zeros_like(x)
    Y = np.eye(W.shape[1])[y]
    for _ in range(steps):
        S = (x + delta) @ W + b
        P = np.exp(S - np.logaddexp.reduce(S, axis=1, keepdims=True))
        g = (P - Y) @ W.T / len(x)
        delta = np.clip(delta + alpha * np.sign(g), -eps, eps)
        delta = np.clip(x + delta, lo, hi) - x
    return x + delta
