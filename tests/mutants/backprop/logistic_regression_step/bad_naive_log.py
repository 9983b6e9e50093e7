"""Cost from log(σ(z)) and log(1 - σ(z)): -inf/nan for large |z|."""
import numpy as np


def logistic_regression_step(w, b, X, Y, lr):
    m = X.shape[1]
    A = 1 / (1 + np.exp(-(w.T @ X + b)))
    cost = float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))
    dZ = A - Y
    return w - lr * (X @ dZ.T) / m, float(b - lr * np.sum(dZ) / m), cost
