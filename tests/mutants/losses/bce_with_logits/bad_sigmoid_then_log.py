"""Sigmoid, then logs: log(0) for large |z|."""
import numpy as np


def bce_with_logits(logits, targets):
    p = 1 / (1 + np.exp(-logits))
    return float(-np.mean(targets * np.log(p) + (1 - targets) * np.log(1 - p)))
