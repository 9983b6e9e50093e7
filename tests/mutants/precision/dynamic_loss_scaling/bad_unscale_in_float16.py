"""Divides in float16 and widens afterwards: gradients below 6e-8 are flushed to 0."""
import numpy as np


def scaler_step(grads, scale, growth_tracker, growth_interval=2000):
    unscaled = (grads / scale).astype(np.float32)
    found_inf = not bool(np.all(np.isfinite(grads)))
    if found_inf:
        return unscaled, True, scale * 0.5, 0
    tracker = growth_tracker + 1
    if tracker == growth_interval:
        return unscaled, False, scale * 2.0, 0
    return unscaled, False, float(scale), tracker
