"""Nesterov's look-ahead step instead of plain momentum."""
import numpy as np


def momentum_step(param, grad, velocity, lr, momentum=0.9):
    """One SGD-with-momentum step (PyTorch form): returns (param_new, velocity_new)."""
    velocity_new = momentum * velocity + grad
    return param - lr * (grad + momentum * velocity_new), velocity_new
