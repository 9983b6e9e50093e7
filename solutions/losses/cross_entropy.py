"""losses/cross_entropy — implement cross_entropy(logits, targets) with NumPy."""

import numpy as np


def cross_entropy(logits, targets):
    """Mean negative log-likelihood of the integer `targets` under softmax(`logits`)."""
    # TODO: compute log-softmax of each row stably (log-sum-exp), pick the target's entry,
    #       and average the negative log-probabilities over the N rows.
    # BEGIN SOLUTION
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    rows = np.arange(logits.shape[0])
    return float(-np.mean(log_probs[rows, targets]))
    # END SOLUTION
