"""optimization/conjugate_gradient — implement conjugate_gradient(A, b, ...) with NumPy."""

import numpy as np


def conjugate_gradient(A, b, max_iter=None, tol=1e-10):
    """Solve A x = b (A symmetric positive definite) by conjugate gradient from x = 0."""
    # TODO: x = 0, r = b, p = r; each iteration does an exact line search along p and makes
    # the next direction A-conjugate to the previous ones.
    raise NotImplementedError("conjugate_gradient is not written yet")
