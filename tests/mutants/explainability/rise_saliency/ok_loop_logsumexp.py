"""One mask at a time, with a log-sum-exp softmax."""
import numpy as np


def rise_saliency(x, masks, W, b, target, p):
    total = np.zeros_like(x)
    for mask in masks:
        logits = (mask * x).ravel() @ W + b
        top = logits.max()
        log_prob = logits[target] - top - np.log(np.sum(np.exp(logits - top)))
        total += np.exp(log_prob) * mask
    return total / (masks.shape[0] * p)
