"""precision/dynamic_loss_scaling — implement scaler_step(...) with NumPy."""

import numpy as np


def scaler_step(grads, scale, growth_tracker, growth_interval=2000):
    """Unscale float16 grads to float32, detect inf/nan, and update (scale, tracker)."""
    # TODO: unscale in float32, detect overflow, then halve / count / double the scale.
    raise NotImplementedError("scaler_step is not written yet")
