"""Stable softmax, then ln of the probabilities: ln 0 = −inf for classes that underflow."""
import numpy as np


def _softmax(z, axis):
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def kl_from_logits(p_logits, q_logits, axis=-1):
    p, q = _softmax(p_logits, axis), _softmax(q_logits, axis)
    return np.sum(p * (np.log(p) - np.log(q)), axis=axis)
