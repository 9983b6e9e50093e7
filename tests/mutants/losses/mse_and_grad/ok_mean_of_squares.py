"""np.square and np.mean, the gradient from the mean's weights."""
import numpy as np


def mse_and_grad(pred, target):
    """(mean squared error over every element, its gradient with respect to `pred`)."""
    residual = pred - target
    loss = float(np.square(residual).mean())
    grad = residual * (2.0 / np.size(residual))
    return loss, grad
