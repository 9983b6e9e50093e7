"""Guess the likely cause of a mismatch: sign flip, sum vs mean, wrong axis, overflow, transpose."""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def input_arrays(check: Any) -> list[np.ndarray]:
    """The array arguments of a check (empty when there is no check or no array)."""
    found = [a for a in getattr(check, "args", ()) or () if isinstance(a, np.ndarray)]
    found += [v for v in (getattr(check, "kwargs", {}) or {}).values() if isinstance(v, np.ndarray)]
    return found


def inputs_large(check: Any, threshold: float = 80.0) -> bool:
    """Does a float input hold values beyond exp()'s comfortable range?"""
    for arg in input_arrays(check):
        if arg.dtype.kind == "f" and arg.size:
            finite = arg[np.isfinite(arg)]
            if finite.size and float(np.max(np.abs(finite))) > threshold:
                return True
    return False


def input_sizes(check: Any) -> set[int]:
    """Every dimension length of the check's array inputs (candidates for N in 'sum vs mean')."""
    return {int(n) for a in input_arrays(check) for n in a.shape if int(n) >= 2}


def _near_integer(value: float, tol: float = 1e-6) -> int | None:
    nearest = round(value)
    if nearest != 0 and abs(value - nearest) <= tol * max(1.0, abs(nearest)):
        return int(nearest)
    return None


def _factor_message(ratio: float, sizes: set[int], scalar: bool) -> str:
    big = _near_integer(ratio)
    small = _near_integer(1.0 / ratio) if ratio != 0 else None
    if big is not None and abs(big) >= 2 and (not scalar or abs(big) in sizes):
        what = f" (N = {abs(big)}, a size of the input)" if abs(big) in sizes else ""
        sign = ", with the sign flipped" if big < 0 else ""
        return (f"your result is {abs(big)}× the expected one{sign}{what}: a sum where a mean "
                "was expected, or a factor counted twice")
    if small is not None and abs(small) >= 2 and (not scalar or abs(small) in sizes):
        what = f" (N = {abs(small)}, a size of the input)" if abs(small) in sizes else ""
        sign = ", with the sign flipped" if small < 0 else ""
        return (f"your result is 1/{abs(small)} of the expected one{sign}{what}: a mean where "
                "a sum was expected, or an extra division")
    if abs(ratio * math.log(10) - 1) < 1e-6:
        return "you used log10 where the natural log (np.log) was expected"
    if abs(ratio - 0.5) < 1e-9 or abs(ratio - 2.0) < 1e-9:
        return f"your result is {ratio:g}× the expected one: a missing or extra factor 2 (or ½)"
    if not scalar:
        return f"every value is off by the same factor {ratio:.6g} (a missing or extra constant)"
    return ""


def diagnose(got: np.ndarray, expected: np.ndarray, check: Any = None) -> str:
    """A one-line guess at the cause of a numeric mismatch ('' when nothing fits)."""
    got = np.asarray(got, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    if got.shape != expected.shape:
        return ""
    mask = np.isfinite(got) & np.isfinite(expected) & (np.abs(expected) > 1e-12)
    if not np.any(mask):
        return ""
    g, e = got[mask], expected[mask]
    scalar = expected.size == 1
    if np.allclose(g, -e, rtol=1e-6, atol=1e-12):
        return "the sign is flipped (a missing minus, or the gradient's direction reversed)"
    finite = np.isfinite(got) & np.isfinite(expected)
    ratio = g / e
    r0 = float(ratio[0])
    # A common factor must explain every entry, the expected zeros included.
    if np.allclose(ratio, r0, rtol=1e-6) and abs(r0) > 1e-12 and np.allclose(
            got[finite], r0 * expected[finite], rtol=1e-6, atol=1e-12):
        if abs(r0 - 1) < 1e-3:
            return (f"every value is relatively {r0 - 1:+.1e} off: a precision problem "
                    "(a lower-precision step, an approximation, or an epsilon added)")
        message = _factor_message(r0, input_sizes(check), scalar)
        if message:
            return message
    if not scalar and expected.dtype.kind == "f":
        offset = got[finite] - expected[finite]
        scale = max(1.0, float(np.max(np.abs(expected[finite]), initial=0.0)))
        if offset.size > 1 and abs(float(offset[0])) > 1e-9 * scale and np.allclose(
                offset, offset[0], rtol=1e-6, atol=1e-12):
            return f"every value is off by the same constant {float(offset[0]):.6g}"
    if expected.ndim >= 2:
        if expected.ndim == 2 and expected.shape[0] == expected.shape[1] and np.allclose(
                got, expected.T, rtol=1e-6, atol=1e-12):
            return "you returned the transpose of the expected matrix"
        for axis in range(expected.ndim):
            sums = got.sum(axis=axis)
            if np.allclose(sums, 1.0, rtol=1e-6) and not np.allclose(
                    expected.sum(axis=axis), 1.0):
                return (f"your values sum to 1 along axis {axis}: normalised over the wrong "
                        "axis?")
    return ""


def nan_cause(check: Any, expected_magnitude: float) -> str:
    """Why a nan appears where a number was expected."""
    if expected_magnitude > 50 or inputs_large(check):
        return ("exp() overflowed to inf (and inf/inf or inf-inf is nan): subtract the max "
                "before exponentiating, or use the log-sum-exp trick")
    return "look for 0/0, inf-inf, inf/inf or the log/sqrt of a negative number"


def inf_cause(check: Any, got_inf: bool) -> str:
    """Why an infinity appears (or is missing)."""
    if got_inf:
        if any(a.dtype.kind == "f" and np.isinf(a).any() for a in input_arrays(check)):
            return ("the input holds ±inf and a finite value was expected here: saturate "
                    "(clamp) to the representable range instead of passing inf through")
        if inputs_large(check):
            return ("overflow: exp() of a large value is inf — rearrange so no intermediate "
                    "exceeds the range (subtract the max, log-sum-exp, or log1p(exp(-|x|)))")
        return "overflow or log(0): clip the argument, or rewrite the formula in a stable form"
    return "an infinite value must stay infinite (inf and nan in the input are kept)"


def shape_hint(got_shape: tuple[int, ...], expected_shape: tuple[int, ...]) -> str:
    """Why the shapes may differ."""
    if expected_shape == () and len(got_shape) >= 1:
        return (" — return one number (e.g. the mean over the batch), not one value per "
                "example")
    if got_shape == expected_shape[::-1] and len(got_shape) >= 2:
        return " — it looks transposed; check which axis holds what"
    if math.prod(got_shape) == math.prod(expected_shape):
        return " — same number of elements: a reshape or keepdims issue?"
    if len(got_shape) < len(expected_shape):
        return (" — a dimension is missing: did you reduce over the wrong axis or forget "
                "keepdims=True?")
    if len(got_shape) > len(expected_shape):
        return " — an extra dimension: a broadcasting slip ((N,) with (N, 1) gives (N, N))?"
    return ""
