"""information/kl_from_logits — KL(softmax(p_logits) ‖ softmax(q_logits)) with NumPy."""

import numpy as np


def _log_softmax(z, axis):
    shifted = z - np.max(z, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def kl_from_logits(p_logits, q_logits, axis=-1):
    """KL divergence in nats between the softmax distributions along `axis` (axis removed)."""
    # TODO: work with log-probabilities (log-softmax), never with ln of a probability.
    raise NotImplementedError("kl_from_logits is not written yet")
