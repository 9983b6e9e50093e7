"""Public drivers for derivatives/numerical_gradient: the functions f handed to the student's
numerical_gradient(f, x, h), and the driver of the "x is left as it was" check. NumPy only;
shipped to the sandbox as they are (nothing here is secret)."""

import numpy as np


def sum_of_squares(x):
    return float(np.sum(x ** 2))


def log_sum_exp(x):
    m = np.max(x)
    return float(m + np.log(np.sum(np.exp(x - m))))


def sum_of_sines(x):
    return float(np.sum(np.sin(x)))


def sum_of_exp_2x(x):
    return float(np.sum(np.exp(2.0 * x)))


def tanh_layer(W, A):
    return float(np.sum(np.tanh(A @ W)))  # needs W as a (3, 4) matrix


def weighted_cubes(x, weights):
    if x.shape != weights.shape:
        raise ValueError(f"f expects an array of shape {weights.shape}, got shape {x.shape}")
    return float(np.sum(weights * x ** 3))


def scalar_square(x):
    return float(np.sin(x) * x)


RESTORE_X = np.array([0.1, 0.2, 0.7, 1.1, -0.9])
"""Entries for which x + h - 2h + h != x in floating point (h = 1e-5)."""


def restore(module):
    """Call numerical_gradient on a copy of RESTORE_X and report x and f(x) afterwards."""
    x = RESTORE_X.copy()
    grad = module.numerical_gradient(sum_of_squares, x)
    return {"gradient": grad, "x_after": x, "f_after": sum_of_squares(x)}
