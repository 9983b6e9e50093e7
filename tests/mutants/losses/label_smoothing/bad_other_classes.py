"""Spreads s over the C − 1 other classes only."""
import numpy as np


def smoothed_cross_entropy(logits, targets, smoothing):
    """Mean cross-entropy against label-smoothed targets (1 - s)·one_hot + s/C."""
    n, c = logits.shape
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    q = np.full((n, c), smoothing / (c - 1))
    q[np.arange(n), targets] = 1.0 - smoothing
    return float(-np.mean(np.sum(q * log_probs, axis=1)))
