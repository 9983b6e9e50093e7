"""np.square and a separate denominator."""
import numpy as np


def rmsprop_step(param, grad, square_avg, lr=1e-2, alpha=0.99, eps=1e-8):
    """One RMSprop step: returns (param_new, square_avg_new)."""
    square_avg_new = alpha * square_avg + (1 - alpha) * np.square(grad)
    param_new = param - lr * grad / (np.sqrt(square_avg_new) + eps)
    return param_new, square_avg_new
