"""federated/dp_sgd_gradient — DP-SGD's clipped, noised, averaged gradient."""

import numpy as np


def dp_sgd_gradient(grads, clip_norm, noise_multiplier, noise):
    """(Σ_i g_i·min(1, C/‖g_i‖) + σ·C·z) / B for per-example gradients grads (B, P); (P,)."""
    # TODO: clip each row, sum, add the noise, average.
    # BEGIN SOLUTION
    norms = np.linalg.norm(grads, axis=1, keepdims=True)
    factor = np.minimum(1.0, clip_norm / np.maximum(norms, np.finfo(grads.dtype).tiny))
    total = np.sum(grads * factor, axis=0) + noise_multiplier * clip_norm * noise
    return total / grads.shape[0]
    # END SOLUTION
