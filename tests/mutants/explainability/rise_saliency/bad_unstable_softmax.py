"""Softmax without subtracting the max: overflows for logits near 1000."""
import numpy as np


def rise_saliency(x, masks, W, b, target, p):
    e = np.exp((masks * x).reshape(len(masks), -1) @ W + b)
    s = e[:, target] / e.sum(axis=1)
    return np.tensordot(s, masks, axes=1) / (len(masks) * p)
