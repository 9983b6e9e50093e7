"""Sums the losses instead of averaging them."""
import numpy as np


def cross_entropy(logits, targets):
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-np.sum(log_probs[np.arange(len(targets)), targets]))
