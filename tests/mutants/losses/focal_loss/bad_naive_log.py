"""log(σ(z)) directly: log(0) for confident mistakes."""
import numpy as np


def focal_loss(logits, targets, gamma=2.0):
    """Mean binary focal loss −(1 − p_t)^gamma · log p_t, computed from raw scores."""
    z, y = logits, targets
    s = 1 / (1 + np.exp(-z))
    ce = -(y * np.log(s) + (1 - y) * np.log(1 - s))
    one_minus_pt = -np.expm1(-ce)
    return float(np.mean(one_minus_pt ** gamma * ce))
