"""Correct: accumulates the gradient example by example, stable sigmoid by cases."""
import math

import numpy as np


def _sigmoid(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _softplus(z):
    return max(z, 0.0) + math.log1p(math.exp(-abs(z)))


def logistic_regression_step(w, b, X, Y, lr):
    n, m = X.shape
    dw = np.zeros((n, 1))
    db = 0.0
    cost = 0.0
    for j in range(m):
        z = float(w[:, 0] @ X[:, j]) + b
        y = float(Y[0, j])
        cost += _softplus(z) - y * z
        err = _sigmoid(z) - y
        dw[:, 0] += err * X[:, j]
        db += err
    return w - lr * dw / m, b - lr * db / m, cost / m
