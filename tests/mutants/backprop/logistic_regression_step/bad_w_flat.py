"""Returns w_new as a flat (n,) vector."""
import numpy as np


def logistic_regression_step(w, b, X, Y, lr):
    m = X.shape[1]
    Z = w.T @ X + b
    A = np.exp(-np.logaddexp(0.0, -Z))
    cost = float(np.mean(np.logaddexp(0.0, Z) - Y * Z))
    dZ = (A - Y).ravel()
    dw = X @ dZ / m
    return w.ravel() - lr * dw, float(b - lr * dZ.mean()), cost
