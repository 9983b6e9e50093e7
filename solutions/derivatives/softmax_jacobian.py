"""derivatives/softmax_jacobian — the Jacobian of softmax, for one vector or a batch of rows."""

import numpy as np


def softmax_jacobian(z):
    """J[..., i, j] = ∂p_i/∂z_j for p = softmax(z): (n,) → (n, n), (N, n) → (N, n, n)."""
    # TODO: compute p = softmax(z) along the last axis (stably), then diag(p) − p pᵀ per row.
    # BEGIN SOLUTION
    shifted = z - np.max(z, axis=-1, keepdims=True)
    exps = np.exp(shifted)
    p = exps / np.sum(exps, axis=-1, keepdims=True)
    n = z.shape[-1]
    column, row = p[..., :, None], p[..., None, :]
    return column * np.eye(n, dtype=z.dtype) - column * row
    # END SOLUTION
