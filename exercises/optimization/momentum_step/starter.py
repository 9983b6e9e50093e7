"""optimization/momentum_step — implement momentum_step(...) with NumPy."""

import numpy as np


def momentum_step(param, grad, velocity, lr, momentum=0.9):
    """One SGD-with-momentum step (PyTorch form): returns (param_new, velocity_new)."""
    # TODO: update the velocity, then step the parameters along it.
    raise NotImplementedError("momentum_step is not written yet")
