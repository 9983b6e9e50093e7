"""losses/focal_loss — implement focal_loss(logits, targets, gamma=2.0) with NumPy."""

import numpy as np


def focal_loss(logits, targets, gamma=2.0):
    """Mean binary focal loss −(1 − p_t)^gamma · log p_t, computed from raw scores."""
    # TODO: get −log p_t stably from the logits (it is the binary cross-entropy of each
    #       example), recover p_t from it, weight by (1 − p_t)^gamma and average.
    raise NotImplementedError("focal_loss is not written yet")
