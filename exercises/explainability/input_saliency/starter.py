"""explainability/input_saliency — saliency (input gradient) and gradient × input of a ReLU MLP."""

import numpy as np


def saliency(X, W1, b1, W2, b2, target, method="gradient"):
    """d S[n, target[n]] / d X[n] for S = relu(X @ W1 + b1) @ W2 + b2, shape (N, D).

    method="gradient" returns the gradient, "gradient_x_input" the gradient times X.
    """
    # TODO: run the forward pass to find which hidden units fire, then backpropagate
    # from the target scores down to X.
    raise NotImplementedError("saliency is not written yet")
