"""Steps uphill: w + lr·dw."""
import numpy as np


def logistic_regression_step(w, b, X, Y, lr):
    m = X.shape[1]
    Z = w.T @ X + b
    A = np.exp(-np.logaddexp(0.0, -Z))
    cost = float(np.mean(np.logaddexp(0.0, Z) - Y * Z))
    dZ = A - Y
    return w + lr * (X @ dZ.T) / m, float(b + lr * np.sum(dZ) / m), cost
