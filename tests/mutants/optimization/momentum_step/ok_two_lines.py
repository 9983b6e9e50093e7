"""Same update, written in two statements with np.add."""
import numpy as np


def momentum_step(param, grad, velocity, lr, momentum=0.9):
    """One SGD-with-momentum step (PyTorch form): returns (param_new, velocity_new)."""
    velocity_new = np.add(momentum * velocity, grad)
    return param - lr * velocity_new, velocity_new
