"""derivatives/softmax_jacobian — the Jacobian of softmax, for one vector or a batch of rows."""

import numpy as np


def softmax_jacobian(z):
    """J[..., i, j] = ∂p_i/∂z_j for p = softmax(z): (n,) → (n, n), (N, n) → (N, n, n)."""
    # TODO: compute p = softmax(z) along the last axis (stably), then diag(p) − p pᵀ per row.
    raise NotImplementedError("softmax_jacobian is not written yet")
