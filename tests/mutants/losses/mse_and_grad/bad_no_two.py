"""Forgets the 2 of the derivative of the square."""
import numpy as np


def mse_and_grad(pred, target):
    """(mean squared error over every element, its gradient with respect to `pred`)."""
    residual = pred - target
    loss = float(np.mean(residual ** 2))
    grad = residual / residual.size
    return loss, grad
