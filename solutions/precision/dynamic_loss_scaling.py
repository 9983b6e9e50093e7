"""precision/dynamic_loss_scaling — implement scaler_step(...) with NumPy."""

import numpy as np


def scaler_step(grads, scale, growth_tracker, growth_interval=2000):
    """Unscale float16 grads to float32, detect inf/nan, and update (scale, tracker)."""
    # TODO: unscale in float32, detect overflow, then halve / count / double the scale.
    # BEGIN SOLUTION
    unscaled = grads.astype(np.float32) / np.float32(scale)
    found_inf = not bool(np.all(np.isfinite(grads)))
    if found_inf:
        return unscaled, True, scale * 0.5, 0
    tracker = growth_tracker + 1
    if tracker == growth_interval:
        return unscaled, False, scale * 2.0, 0
    return unscaled, False, float(scale), tracker
    # END SOLUTION
