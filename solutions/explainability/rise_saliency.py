"""explainability/rise_saliency — RISE saliency of a linear softmax classifier from random masks."""

import numpy as np


def rise_saliency(x, masks, W, b, target, p):
    """S = Σ_i s_i M_i / (N p), s_i = softmax(vec(x ⊙ M_i) @ W + b)[target]; shape (H, W)."""
    # TODO: score every masked image, then average the masks weighted by the scores.
    # BEGIN SOLUTION
    n = masks.shape[0]
    logits = (masks * x).reshape(n, -1) @ W + b
    logits = logits - logits.max(axis=1, keepdims=True)
    probs = np.exp(logits)
    probs = probs / probs.sum(axis=1, keepdims=True)
    scores = probs[:, target]
    return (np.tensordot(scores, masks, axes=1) / (n * p)).astype(x.dtype)
    # END SOLUTION
