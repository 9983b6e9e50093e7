"""Multiplies by 1/scale in float16 (1/65536 is a float16 subnormal): the small ones vanish."""
import numpy as np


def scaler_step(grads, scale, growth_tracker, growth_interval=2000):
    unscaled = (grads * np.float16(1.0 / scale)).astype(np.float32)
    found_inf = bool(np.any(~np.isfinite(grads)))
    new_scale, tracker = float(scale), growth_tracker + 1
    if found_inf:
        new_scale, tracker = scale / 2, 0
    elif tracker >= growth_interval:
        new_scale, tracker = scale * 2, 0
    return unscaled, found_inf, new_scale, tracker
