"""Returns the cost after the step instead of before."""
import numpy as np


def logistic_regression_step(w, b, X, Y, lr):
    m = X.shape[1]
    A = 1 / (1 + np.exp(-(w.T @ X + b)))
    dZ = A - Y
    w_new = w - lr * (X @ dZ.T) / m
    b_new = float(b - lr * np.sum(dZ) / m)
    Z = w_new.T @ X + b_new
    cost = float(np.mean(np.logaddexp(0.0, Z) - Y * Z))
    return w_new, b_new, cost
