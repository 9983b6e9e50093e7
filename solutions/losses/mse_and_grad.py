"""losses/mse_and_grad — implement mse_and_grad(pred, target) with NumPy."""

import numpy as np


def mse_and_grad(pred, target):
    """(mean squared error over every element, its gradient with respect to `pred`)."""
    # TODO: the loss is the mean of the squared residuals over ALL elements;
    #       the gradient has pred's shape.
    # BEGIN SOLUTION
    residual = pred - target
    loss = float(np.mean(residual ** 2))
    grad = 2.0 * residual / residual.size
    return loss, grad
    # END SOLUTION
