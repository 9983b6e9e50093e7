"""backprop/logistic_regression_step — one batch gradient-descent step of logistic regression."""

import numpy as np


def logistic_regression_step(w, b, X, Y, lr):
    """One gradient-descent step on the mean binary cross-entropy.

    w (n, 1), b float, X (n, m) with one example per column, Y (1, m) in {0, 1}, lr float.
    Returns (w_new (n, 1), b_new float, cost float), the cost taken *before* the step.
    """
    # TODO: forward pass Z = wᵀX + b, A = σ(Z); cost = mean BCE (stable for |z| ~ 1000);
    #       backward pass dZ = A − Y, dw = (1/m) X dZᵀ, db = (1/m) Σ dZ; then step.
    # BEGIN SOLUTION
    m = X.shape[1]
    Z = w.T @ X + b                                   # (1, m)
    A = np.exp(-np.logaddexp(0.0, -Z))                # σ(Z) without overflow
    # −[y log σ(z) + (1 − y) log(1 − σ(z))] = log(1 + e^z) − y·z
    cost = float(np.mean(np.logaddexp(0.0, Z) - Y * Z))
    dZ = A - Y                                        # (1, m)
    dw = (X @ dZ.T) / m                               # (n, 1)
    db = float(np.sum(dZ)) / m
    return w - lr * dw, float(b - lr * db), cost
    # END SOLUTION
