"""int() truncates the zero point instead of rounding it."""
import numpy as np


def quantize_int8(x):
    """Affine int8 quantisation of float64 `x`: returns (q int8 array, scale, zero_point)."""
    lo = min(float(np.min(x)), 0.0)
    hi = max(float(np.max(x)), 0.0)
    scale = (hi - lo) / 255.0 if hi > lo else 1.0
    zero_point = int(np.clip(-128.0 - lo / scale, -128, 127))
    q = np.clip(np.round(x / scale) + zero_point, -128, 127).astype(np.int8)
    return q, scale, zero_point


def dequantize_int8(q, scale, zero_point):
    """The float64 values (q - zero_point)·scale that the int8 codes stand for."""
    return (q.astype(np.float64) - zero_point) * scale
