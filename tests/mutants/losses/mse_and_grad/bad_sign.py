"""target − pred: the gradient's sign is flipped."""
import numpy as np


def mse_and_grad(pred, target):
    """(mean squared error over every element, its gradient with respect to `pred`)."""
    residual = pred - target
    loss = float(np.mean(residual ** 2))
    grad = 2.0 * (target - pred) / residual.size
    return loss, grad
