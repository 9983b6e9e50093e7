"""Exact steps, but always along the residual (no conjugate directions)."""
import numpy as np


def conjugate_gradient(A, b, max_iter=None, tol=1e-10):
    """Solve A x = b (A symmetric positive definite) by conjugate gradient from x = 0."""
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
        p = r
        rs = rs_new
    return x
