"""Only the ½(1 + tanh u) term: the product rule's second term is missing."""
import math

import numpy as np

SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)  # a Python float: it does not promote float32 arrays
KAPPA = 0.044715


def gelu_grad(x):
    """d/dx of 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))): same shape and dtype as `x`."""
    u = SQRT_2_OVER_PI * (x + KAPPA * x ** 3)
    t = np.tanh(u)
    du_dx = SQRT_2_OVER_PI * (1 + 3 * KAPPA * x ** 2)
    return 0.5 * (1 + t)
