"""losses/label_smoothing — implement smoothed_cross_entropy(logits, targets, smoothing)."""

import numpy as np


def smoothed_cross_entropy(logits, targets, smoothing):
    """Mean cross-entropy against label-smoothed targets (1 - s)·one_hot + s/C."""
    # TODO: build the smoothed target distribution of each row, then take the mean over
    #       rows of -sum(q * log_softmax(logits)), with a stable log-softmax.
    raise NotImplementedError("smoothed_cross_entropy is not written yet")
