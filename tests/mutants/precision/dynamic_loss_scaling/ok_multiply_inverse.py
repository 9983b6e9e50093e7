"""Multiplies by the float32 inverse scale, as torch does."""
import numpy as np


def scaler_step(grads, scale, growth_tracker, growth_interval=2000):
    inv_scale = np.float32(1.0) / np.float32(scale)
    unscaled = grads.astype(np.float32) * inv_scale
    found_inf = not np.isfinite(unscaled).all()
    if found_inf:
        scale, growth_tracker = scale * 0.5, 0
    else:
        growth_tracker += 1
        if growth_tracker == growth_interval:
            scale, growth_tracker = scale * 2.0, 0
    return unscaled, bool(found_inf), float(scale), growth_tracker
