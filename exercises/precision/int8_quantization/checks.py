"""Checks for precision/int8_quantization: a float64 torch round-and-clamp is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, Verdict, inputs
from modl_tutor.grading.toolkit.compare import compare_outputs
from modl_tutor.kernels import bank_precision as K

PARAM_HINT = ("the first line says which of q, scale and zero_point is off; scale and "
              "zero_point come from the range of x extended to include 0")


def _quantized(got, expected, check):
    """Check the int8 dtype of q, then compare (q, scale, zero_point) with the reference."""
    if isinstance(got, (tuple, list)) and len(got) == 3 and isinstance(got[0], np.ndarray):
        if got[0].dtype != np.int8:
            return Verdict.fail(f"output[0]: q must be an int8 array, got dtype {got[0].dtype} "
                                "— clip to [−128, 127] first, then .astype(np.int8)")
    return compare_outputs(got, expected, check)


def _q(name, x, **kw):
    return Check(name, args=(x,), reference=K.quantize_int8, compare=_quantized, **kw)


def _codes(x):
    """(q, scale, zero_point) of x, the inputs of dequantize: the kernel's arithmetic in NumPy
    (the same IEEE operations, ties to even), so building the checks needs no torch."""
    x = np.asarray(x, dtype=np.float64)
    lo, hi = min(float(x.min()), 0.0), max(float(x.max()), 0.0)
    scale = (hi - lo) / 255.0 if hi > lo else 1.0
    zero_point = int(np.clip(np.round(-128.0 - lo / scale), -128, 127))
    return np.clip(np.round(x / scale) + zero_point, -128, 127).astype(np.int8), scale, zero_point


def _deq(name, x, **kw):
    q, scale, zero_point = _codes(x)
    return Check(name, args=(q, scale, zero_point), reference=K.dequantize_int8,
                 function="dequantize_int8", **kw)


def checks(rng):
    yield _q("four values: scale 0.02, zero point −53", np.array([-1.5, 0.0, 1.0, 3.6]),
             hint=PARAM_HINT)
    yield _q("random values (3, 4)", inputs.normal(rng, (3, 4), 2.0), points=2, hint=PARAM_HINT)
    yield _q("exact ties round to even (scale 1/16, zero point 0)",
             np.array([-8.0, 7.9375, 0.03125, 0.09375, -0.03125, 2.53125]),
             hint="these values are exact halves of a step: they go to the even code (as "
                  "torch rounds), not always up")
    yield _q("all positive: the range still includes 0", inputs.uniform(rng, 6, 0.5, 4.0),
             hint="all values are positive, but the range still includes 0 (so 0 is exactly "
                  "representable)")
    yield _q("all negative", inputs.uniform(rng, (2, 3), -4.0, -0.5),
             hint="all values are negative, but the range still includes 0 (so 0 is exactly "
                  "representable)")
    yield _q("all zeros (scale 1.0)", np.zeros((2, 2)),
             hint="all zeros: the range is empty, and the prompt's scale for that case "
                  "avoids dividing by zero")
    yield _deq("dequantize: random codes", inputs.normal(rng, (3, 5), 1.5), points=2,
               hint="dequantize returns float64 values: the codes shifted by the zero point, "
                    "times the scale")
    yield _deq("dequantize: codes near ±127 with a negative zero point",
               np.array([3.9, 4.0, 0.0, 0.5, 2.2]), points=2,
               hint="q − zero_point overflows in int8 (127 − (−128) wraps around): convert q to "
                    "float64 or int64 before subtracting")
    yield _deq("dequantize: all negative input (zero point 127)",
               inputs.uniform(rng, 6, -3.0, -1.0), hidden=True,
               hint="q − zero_point overflows in int8: convert q to a wider type first")
    yield _q("large magnitudes, 3-D", inputs.large(rng, (2, 3, 4), 1e4), hidden=True)
