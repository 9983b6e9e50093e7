"""backprop/logistic_regression_step — one batch gradient-descent step of logistic regression."""

import numpy as np


def logistic_regression_step(w, b, X, Y, lr):
    """One gradient-descent step on the mean binary cross-entropy.

    w (n, 1), b float, X (n, m) with one example per column, Y (1, m) in {0, 1}, lr float.
    Returns (w_new (n, 1), b_new float, cost float), the cost taken *before* the step.
    """
    # TODO: forward pass Z = wᵀX + b, A = σ(Z); cost = mean BCE (stable for |z| ~ 1000);
    #       backward pass dZ = A − Y, dw = (1/m) X dZᵀ, db = (1/m) Σ dZ; then step.
    raise NotImplementedError("logistic_regression_step is not written yet")
