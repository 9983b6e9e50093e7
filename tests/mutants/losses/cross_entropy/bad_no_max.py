"""log-sum-exp without the max: overflows for large logits."""
import numpy as np


def cross_entropy(logits, targets):
    log_norm = np.log(np.sum(np.exp(logits), axis=1))
    return float(np.mean(log_norm - logits[np.arange(len(targets)), targets]))
