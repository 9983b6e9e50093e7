"""(1 − s)·CE + s·(mean −log p over the classes)."""
import numpy as np


def smoothed_cross_entropy(logits, targets, smoothing):
    """Mean cross-entropy against label-smoothed targets (1 - s)·one_hot + s/C."""
    n, c = logits.shape
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    nll = -log_probs[np.arange(n), targets]
    uniform = -log_probs.mean(axis=1)
    return float(np.mean((1.0 - smoothing) * nll + smoothing * uniform))
