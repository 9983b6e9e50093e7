"""losses/label_smoothing — implement smoothed_cross_entropy(logits, targets, smoothing)."""

import numpy as np


def smoothed_cross_entropy(logits, targets, smoothing):
    """Mean cross-entropy against label-smoothed targets (1 - s)·one_hot + s/C."""
    # TODO: build the smoothed target distribution of each row, then take the mean over
    #       rows of -sum(q * log_softmax(logits)), with a stable log-softmax.
    # BEGIN SOLUTION
    n, c = logits.shape
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    q = np.full((n, c), smoothing / c)
    q[np.arange(n), targets] += 1.0 - smoothing
    return float(-np.mean(np.sum(q * log_probs, axis=1)))
    # END SOLUTION
