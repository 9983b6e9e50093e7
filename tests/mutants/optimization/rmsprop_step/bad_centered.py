"""Centered RMSprop without the mean-gradient state: subtracts g² from the average."""
import numpy as np


def rmsprop_step(param, grad, square_avg, lr=1e-2, alpha=0.99, eps=1e-8):
    """One RMSprop step: returns (param_new, square_avg_new)."""
    square_avg_new = alpha * square_avg + (1 - alpha) * grad**2
    param_new = param - lr * grad / (np.sqrt(np.maximum(square_avg_new - ((1 - alpha) * grad) ** 2, 0)) + eps)
    return param_new, square_avg_new
