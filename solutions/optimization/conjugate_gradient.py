"""optimization/conjugate_gradient — implement conjugate_gradient(A, b, ...) with NumPy."""

import numpy as np


def conjugate_gradient(A, b, max_iter=None, tol=1e-10):
    """Solve A x = b (A symmetric positive definite) by conjugate gradient from x = 0."""
    # TODO: x = 0, r = b, p = r; each iteration does an exact line search along p and makes
    # the next direction A-conjugate to the previous ones.
    # BEGIN SOLUTION
    x = np.zeros_like(b)
    r = b.copy()
    p = r.copy()
    rs = r @ r
    limit = tol * np.linalg.norm(b)
    for _ in range(len(b) if max_iter is None else max_iter):
        if np.sqrt(rs) <= limit:
            break
        Ap = A @ p
        alpha = rs / (p @ Ap)
        x = x + alpha * p
        r = r - alpha * Ap
        rs_new = r @ r
        p = r + (rs_new / rs) * p
        rs = rs_new
    return x
    # END SOLUTION
