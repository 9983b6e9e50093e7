"""Jᵀ (J is symmetric)."""
import numpy as np


def softmax_jacobian(z):
    """J[..., i, j] = ∂p_i/∂z_j for p = softmax(z): (n,) → (n, n), (N, n) → (N, n, n)."""
    shifted = z - np.max(z, axis=-1, keepdims=True)
    exps = np.exp(shifted)
    p = exps / np.sum(exps, axis=-1, keepdims=True)
    n = z.shape[-1]
    column, row = p[..., :, None], p[..., None, :]
    J = column * np.eye(n, dtype=z.dtype) - column * row
    return np.swapaxes(J, -1, -2)
