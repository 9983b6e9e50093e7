"""Correct: KL = H(p, q) − H(p), both from log-softmax via np.logaddexp.reduce."""
import numpy as np


def kl_from_logits(p_logits, q_logits, axis=-1):
    lse_p = np.logaddexp.reduce(p_logits, axis=axis, keepdims=True)
    lse_q = np.logaddexp.reduce(q_logits, axis=axis, keepdims=True)
    log_p, log_q = p_logits - lse_p, q_logits - lse_q
    p = np.exp(log_p)
    cross = -np.sum(p * log_q, axis=axis)
    own = -np.sum(p * log_p, axis=axis)
    return cross - own
