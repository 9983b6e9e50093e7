"""Correct: -log σ(z) and -log(1-σ(z)) by the sign of z, each in a stable form."""
import numpy as np


def bce_with_logits(logits, targets):
    z = np.asarray(logits, dtype=np.float64)
    neg_log_p = np.where(z >= 0, np.log1p(np.exp(-np.abs(z))), -z + np.log1p(np.exp(-np.abs(z))))
    neg_log_q = neg_log_p + z  # -log(1 - σ(z)) = -log σ(z) + z
    return float(np.mean(targets * neg_log_p + (1 - targets) * neg_log_q))
