"""Looks for inf only: a nan gradient is not treated as an overflow."""
import numpy as np


def scaler_step(grads, scale, growth_tracker, growth_interval=2000):
    unscaled = grads.astype(np.float32) / np.float32(scale)
    found_inf = bool(np.any(np.isinf(grads)))
    if found_inf:
        return unscaled, True, scale * 0.5, 0
    tracker = growth_tracker + 1
    if tracker == growth_interval:
        return unscaled, False, scale * 2.0, 0
    return unscaled, False, float(scale), tracker
