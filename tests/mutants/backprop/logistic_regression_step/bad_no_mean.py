"""Gradients summed over the batch, not averaged."""
import numpy as np


def logistic_regression_step(w, b, X, Y, lr):
    Z = w.T @ X + b
    A = np.exp(-np.logaddexp(0.0, -Z))
    cost = float(np.mean(np.logaddexp(0.0, Z) - Y * Z))
    dZ = A - Y
    return w - lr * (X @ dZ.T), float(b - lr * np.sum(dZ)), cost
