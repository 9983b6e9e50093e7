"""v = μv + (1 − μ)g: the EMA form, not PyTorch's."""
import numpy as np


def momentum_step(param, grad, velocity, lr, momentum=0.9):
    """One SGD-with-momentum step (PyTorch form): returns (param_new, velocity_new)."""
    velocity_new = momentum * velocity + (1 - momentum) * grad
    return param - lr * velocity_new, velocity_new
