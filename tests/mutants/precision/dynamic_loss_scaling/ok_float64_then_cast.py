"""Unscales in float64 and rounds once to float32 (exact: the scale is a power of two)."""
import numpy as np


def scaler_step(grads, scale, growth_tracker, growth_interval=2000):
    unscaled = (grads.astype(np.float64) / scale).astype(np.float32)
    if np.isnan(grads).any() or np.isinf(grads).any():
        return unscaled, True, float(scale) / 2, 0
    tracker = growth_tracker + 1
    new_scale = float(scale)
    if tracker >= growth_interval:
        new_scale, tracker = new_scale * 2, 0
    return unscaled, False, new_scale, int(tracker)
