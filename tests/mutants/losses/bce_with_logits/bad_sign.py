"""The sign of the log-likelihood is flipped."""
import numpy as np


def bce_with_logits(logits, targets):
    z, y = logits, targets
    return float(-np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))
