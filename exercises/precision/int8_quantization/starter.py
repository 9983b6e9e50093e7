"""precision/int8_quantization — implement quantize_int8(x) and dequantize_int8 with NumPy."""

import numpy as np


def quantize_int8(x):
    """Affine int8 quantisation of float64 `x`: returns (q int8 array, scale, zero_point)."""
    # TODO: range [lo, hi] including 0, scale = (hi - lo)/255, zero_point = round(-128 - lo/scale),
    # q = clip(round(x/scale) + zero_point, -128, 127) as int8.
    raise NotImplementedError("quantize_int8 is not written yet")


def dequantize_int8(q, scale, zero_point):
    """The float64 values (q - zero_point)·scale that the int8 codes stand for."""
    # TODO: subtract the zero point (in a type wide enough not to overflow) and multiply.
    raise NotImplementedError("dequantize_int8 is not written yet")
