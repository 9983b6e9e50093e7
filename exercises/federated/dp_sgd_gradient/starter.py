"""federated/dp_sgd_gradient — DP-SGD's clipped, noised, averaged gradient."""

import numpy as np


def dp_sgd_gradient(grads, clip_norm, noise_multiplier, noise):
    """(Σ_i g_i·min(1, C/‖g_i‖) + σ·C·z) / B for per-example gradients grads (B, P); (P,)."""
    # TODO: clip each row, sum, add the noise, average.
    raise NotImplementedError("dp_sgd_gradient is not written yet")
