"""One example at a time, with an explicit one-hot upstream gradient."""
import numpy as np


def saliency(X, W1, b1, W2, b2, target, method="gradient"):
    out = np.empty_like(X)
    for n in range(X.shape[0]):
        d_scores = np.zeros(W2.shape[1], dtype=X.dtype)
        d_scores[target[n]] = 1
        d_hidden = W2 @ d_scores
        d_hidden = np.where(X[n] @ W1 + b1 > 0, d_hidden, 0)
        out[n] = W1 @ d_hidden
    if method == "gradient_x_input":
        out = out * X
    return out
