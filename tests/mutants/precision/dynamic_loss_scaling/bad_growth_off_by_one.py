"""Doubles one step late: compares the old tracker with the interval before counting."""
import numpy as np


def scaler_step(grads, scale, growth_tracker, growth_interval=2000):
    unscaled = grads.astype(np.float32) / np.float32(scale)
    if not np.all(np.isfinite(grads)):
        return unscaled, True, scale * 0.5, 0
    if growth_tracker == growth_interval:
        return unscaled, False, scale * 2.0, 0
    return unscaled, False, float(scale), growth_tracker + 1
