"""explainability/rise_saliency — RISE saliency of a linear softmax classifier from random masks."""

import numpy as np


def rise_saliency(x, masks, W, b, target, p):
    """S = Σ_i s_i M_i / (N p), s_i = softmax(vec(x ⊙ M_i) @ W + b)[target]; shape (H, W)."""
    # TODO: score every masked image, then average the masks weighted by the scores.
    raise NotImplementedError("rise_saliency is not written yet")
