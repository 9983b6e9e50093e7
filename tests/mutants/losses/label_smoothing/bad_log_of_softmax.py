"""log(softmax(z)): log(0) = −inf for large logits."""
import numpy as np


def smoothed_cross_entropy(logits, targets, smoothing):
    """Mean cross-entropy against label-smoothed targets (1 - s)·one_hot + s/C."""
    n, c = logits.shape
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    log_probs = np.log(np.exp(shifted) / np.sum(np.exp(shifted), axis=1, keepdims=True))
    q = np.full((n, c), smoothing / c)
    q[np.arange(n), targets] += 1.0 - smoothing
    return float(-np.mean(np.sum(q * log_probs, axis=1)))
