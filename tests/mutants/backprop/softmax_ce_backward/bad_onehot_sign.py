"""onehot − p: the gradient of the log-likelihood, not of the loss."""
import numpy as np


def softmax_cross_entropy_backward(logits, targets):
    """d/dlogits of mean_i −log softmax(logits_i)[targets_i].

    logits (N, C) float64, targets (N,) int class indices. Returns an (N, C) array.
    """
    N = logits.shape[0]
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    P = np.exp(shifted)
    P /= np.sum(P, axis=1, keepdims=True)
    P[np.arange(N), targets] -= 1.0
    return -P / N
