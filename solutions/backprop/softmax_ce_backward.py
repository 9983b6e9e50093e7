"""backprop/softmax_ce_backward — gradient of the mean softmax cross-entropy with respect to the logits."""

import numpy as np


def softmax_cross_entropy_backward(logits, targets):
    """d/dlogits of mean_i −log softmax(logits_i)[targets_i].

    logits (N, C) float64, targets (N,) int class indices. Returns an (N, C) array.
    """
    # TODO: the gradient of one row is softmax(z) − onehot(target); then average over rows.
    # BEGIN SOLUTION
    N = logits.shape[0]
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    P = np.exp(shifted)
    P /= np.sum(P, axis=1, keepdims=True)
    P[np.arange(N), targets] -= 1.0
    return P / N
    # END SOLUTION
