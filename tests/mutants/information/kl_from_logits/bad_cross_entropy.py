"""Returns the cross-entropy H(p, q) = −Σ p ln q, forgetting to subtract H(p)."""
import numpy as np


def _log_softmax(z, axis):
    s = z - np.max(z, axis=axis, keepdims=True)
    return s - np.log(np.sum(np.exp(s), axis=axis, keepdims=True))


def kl_from_logits(p_logits, q_logits, axis=-1):
    log_p, log_q = _log_softmax(p_logits, axis), _log_softmax(q_logits, axis)
    return -np.sum(np.exp(log_p) * log_q, axis=axis)
