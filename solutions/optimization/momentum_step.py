"""optimization/momentum_step — implement momentum_step(...) with NumPy."""

import numpy as np


def momentum_step(param, grad, velocity, lr, momentum=0.9):
    """One SGD-with-momentum step (PyTorch form): returns (param_new, velocity_new)."""
    # TODO: update the velocity, then step the parameters along it.
    # BEGIN SOLUTION
    velocity_new = momentum * velocity + grad
    return param - lr * velocity_new, velocity_new
    # END SOLUTION
