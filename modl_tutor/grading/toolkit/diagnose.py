"""Guess the likely cause of a mismatch: sign flip, sum vs mean, wrong axis, overflow, transpose.

A diagnosis is offered only when it explains every entry of the output; when nothing does,
the message says what is observed (every value 0.125 where 0.25 was expected) and no more.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

FLOAT16_SMALLEST = 2.0 ** -24
"""The smallest positive (subnormal) float16: below half of it a value rounds to 0."""
FLOAT16_TINY = 2.0 ** -14
"""The smallest normal float16: below it values are subnormal and lose precision."""


def input_arrays(check: Any) -> list[np.ndarray]:
    """The array arguments of a check (empty when there is no check or no array)."""
    found = [a for a in getattr(check, "args", ()) or () if isinstance(a, np.ndarray)]
    found += [v for v in (getattr(check, "kwargs", {}) or {}).values() if isinstance(v, np.ndarray)]
    return found


def _finite_floats(check: Any) -> list[np.ndarray]:
    arrays = []
    for arg in input_arrays(check):
        if arg.dtype.kind == "f" and arg.size:
            finite = arg[np.isfinite(arg)].astype(np.float64)
            if finite.size:
                arrays.append(finite)
    return arrays


def inputs_large(check: Any, threshold: float = 80.0) -> bool:
    """Does a float input hold values beyond exp()'s comfortable range (either sign)?"""
    return any(float(np.max(np.abs(a))) > threshold for a in _finite_floats(check))


def inputs_large_positive(check: Any, threshold: float = 80.0) -> bool:
    """Does a float input hold values above `threshold` (exp() of them overflows)?"""
    return any(float(np.max(a)) > threshold for a in _finite_floats(check))


def inputs_large_negative(check: Any, threshold: float = 80.0) -> bool:
    """Does a float input hold values below −`threshold` (exp() of them underflows)?"""
    return any(float(np.min(a)) < -threshold for a in _finite_floats(check))


def input_sizes(check: Any) -> set[int]:
    """Every dimension length of the check's array inputs (candidates for N in 'sum vs mean')."""
    return {int(n) for a in input_arrays(check) for n in a.shape if int(n) >= 2}


def _near_integer(value: float, tol: float = 1e-6) -> int | None:
    nearest = round(value)
    if nearest != 0 and abs(value - nearest) <= tol * max(1.0, abs(nearest)):
        return int(nearest)
    return None


def _factor_message(ratio: float, sizes: set[int]) -> str:
    """What a common factor means; a sum/mean slip is suggested only when N is an input size
    (and, for a factor 2, beside the plain factor 2 that it may just as well be)."""
    big = _near_integer(ratio)
    small = _near_integer(1.0 / ratio) if ratio != 0 else None
    for n, times in ((big, True), (small, False)):
        if n is None or abs(n) < 2 or abs(n) not in sizes:
            continue
        sign = ", with the sign flipped" if n < 0 else ""
        what = f"{abs(n)}× the expected one" if times else f"1/{abs(n)} of the expected one"
        slip = ("a sum where a mean was expected, or a factor counted twice" if times else
                "a mean where a sum (or a maximum) was expected, or an extra division")
        if abs(n) == 2:
            return (f"your result is {what}{sign}: a factor 2 (or ½) missing or extra — or, "
                    f"with N = 2 a size of the input, {slip}")
        return f"your result is {what}{sign} (N = {abs(n)}, a size of the input): {slip}"
    if abs(ratio * math.log(10) - 1) < 1e-6:
        return "you used log10 where the natural log (np.log) was expected"
    if abs(ratio - 0.5) < 1e-9 or abs(ratio - 2.0) < 1e-9:
        return f"your result is {ratio:g}× the expected one: a missing or extra factor 2 (or ½)"
    return ""


def _same_input(got: np.ndarray, check: Any) -> str:
    """'your output is argument k unchanged' when it equals one of the inputs."""
    for position, arg in enumerate(getattr(check, "args", ()) or ()):
        if not (isinstance(arg, np.ndarray) and arg.shape == got.shape
                and arg.dtype.kind in "biuf"):
            continue
        with np.errstate(invalid="ignore"):  # a signalling nan's payload warns when widened
            wide = np.asarray(arg, np.float64)
            # all zeros: an input of zeros says nothing about where got came from
            same = bool(np.any(wide != 0)) and np.array_equal(wide, got, equal_nan=True)
        if same:
            which = "the input" if len(check.args) == 1 else f"input {position + 1}"
            return (f"your output holds exactly the values of {which}: it was returned as it "
                    "was, or every change to it was lost (rounded away?)")
    return ""


def _underflow(got: np.ndarray, expected: np.ndarray) -> str:
    """Tiny expected values that came back flushed to 0 or rounded to float16's coarse grid."""
    wrong = ~np.isclose(got, expected, rtol=1e-6, atol=0.0)
    if not np.any(wrong):
        return ""
    lost = expected[wrong]
    with np.errstate(all="ignore"):
        in_half = lost.astype(np.float16).astype(np.float64)
    if float(np.max(np.abs(lost))) >= FLOAT16_TINY or not np.array_equal(got[wrong], in_half):
        return ""
    index = int(np.argmin(np.abs(lost)))
    return (f"{int(wrong.sum())} tiny value(s) came back rounded to float16 (e.g. "
            f"{float(lost[index]):.3g} became {float(got[wrong][index]):.3g}): a step was done "
            f"in float16, where values below {FLOAT16_TINY:.2g} lose precision and below "
            f"{FLOAT16_SMALLEST / 2:.2g} underflow to 0 — widen to float32 first")


def _normalisation(got: np.ndarray, expected: np.ndarray) -> str:
    if expected.size < 2 or expected.ndim == 0 or np.any(got < 0) or np.any(expected < 0):
        return ""
    if not any(np.allclose(expected.sum(axis=axis), 1.0, rtol=1e-6)
               for axis in range(expected.ndim)):
        return ""  # the expected output is no distribution: normalisation is not the point
    if abs(float(got.sum()) - 1.0) < 1e-6 and abs(float(expected.sum()) - 1.0) > 1e-6:
        return ("your values sum to 1 over the whole array: normalise along `axis` only "
                "(each slice along it sums to 1)")
    if expected.ndim >= 2:
        for axis in range(expected.ndim):
            sums = got.sum(axis=axis)
            if np.allclose(sums, 1.0, rtol=1e-6) and not np.allclose(
                    expected.sum(axis=axis), 1.0):
                return (f"your values sum to 1 along axis {axis}: normalised over the wrong "
                        "axis?")
    return ""


def _distinct(a: float, b: float) -> tuple[str, str]:
    """a and b with just enough digits to tell them apart."""
    for digits in (6, 9, 12, 17):
        left, right = f"{a:.{digits}g}", f"{b:.{digits}g}"
        if left != right:
            return left, right
    return repr(a), repr(b)


def _observed(got: np.ndarray, expected: np.ndarray) -> str:
    """No cause fits: describe what came back when it is simple enough to say in a line."""
    finite = np.isfinite(got) & np.isfinite(expected)
    g, e = got[finite], expected[finite]
    if g.size < 2:
        return ""
    if np.all(g == g[0]) and np.all(e == e[0]):
        shown_g, shown_e = _distinct(float(g[0]), float(e[0]))
        return f"observed: every value is {shown_g} where {shown_e} was expected"
    if np.all(g == g[0]):
        return f"observed: every value you returned is {float(g[0]):.6g}"
    if np.all((g == 0) | (g == 1)) and not np.all((e == 0) | (e == 1)):
        return ("observed: your output holds only 0s and 1s (a mask or a local slope alone), "
                "while the expected values are not 0 or 1 — is a factor (such as the upstream "
                "gradient) missing?")
    return ""


def diagnose(got: np.ndarray, expected: np.ndarray, check: Any = None) -> str:
    """A one-line cause of a numeric mismatch that explains every entry ('' when none does)."""
    got = np.asarray(got, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    if got.shape != expected.shape:
        return ""
    finite = np.isfinite(got) & np.isfinite(expected)
    mask = finite & (np.abs(expected) > 1e-12)
    if not np.any(mask):
        return ""
    same = _same_input(got, check)
    if same:
        return same
    g, e = got[mask], expected[mask]
    scalar = expected.size == 1
    if np.allclose(got[finite], -expected[finite], rtol=1e-6, atol=1e-12):
        return "the sign is flipped (a missing minus, or the gradient's direction reversed)"
    for cause in (_underflow(got[finite], expected[finite]), _normalisation(got, expected)):
        if cause:
            return cause
    ratio = g / e
    r0 = float(ratio[0])
    # A common factor must explain every entry, the expected zeros included, and be pinned
    # down by at least two different expected values (one value fits any factor).
    distinct = scalar or np.unique(np.round(e, 12)).size >= 2
    if distinct and np.allclose(ratio, r0, rtol=1e-6) and abs(r0) > 1e-12 and np.allclose(
            got[finite], r0 * expected[finite], rtol=1e-6, atol=1e-12):
        if abs(r0 - 1) < 1e-3:
            if r0 != 1 and np.all(np.abs(ratio - r0) <= 0.01 * abs(r0 - 1)):
                return (f"every value is relatively {r0 - 1:+.1e} off: a precision problem "
                        "(a lower-precision step, an approximation, or an epsilon added)")
            return _observed(got, expected)  # near-1 ratios that differ: no common cause
        message = _factor_message(r0, input_sizes(check))
        if message:
            return message
        if not scalar:
            return f"every value is off by the same factor {r0:.6g} (a missing or extra constant)"
    if not scalar and distinct and expected.dtype.kind == "f":
        offset = got[finite] - expected[finite]
        scale = max(1.0, float(np.max(np.abs(expected[finite]), initial=0.0)))
        if offset.size > 1 and abs(float(offset[0])) > 1e-9 * scale and np.allclose(
                offset, offset[0], rtol=1e-6, atol=1e-12):
            return f"every value is off by the same constant {float(offset[0]):.6g}"
    if expected.ndim == 2 and expected.shape[0] == expected.shape[1] and np.allclose(
            got, expected.T, rtol=1e-6, atol=1e-12):
        return "you returned the transpose of the expected matrix"
    return _observed(got, expected)


def nan_cause(check: Any, expected_magnitude: float) -> str:
    """Why a nan appears where a number was expected."""
    if expected_magnitude > 50 or inputs_large_positive(check):
        return ("exp() overflowed to inf (and inf/inf or inf-inf is nan): subtract the max "
                "before exponentiating, or use the log-sum-exp trick")
    if inputs_large_negative(check):
        return ("exp() of a very negative value underflowed to 0 (and 0/0 is nan): subtract "
                "the max before exponentiating, so the largest term is exp(0) = 1")
    return "look for 0/0, inf-inf, inf/inf or the log/sqrt of a negative number"


def inf_cause(check: Any, got_inf: bool, got_value: float | None = None) -> str:
    """Why an infinity appears (or is missing); `got_value` tells +inf from −inf."""
    if got_inf:
        if any(a.dtype.kind == "f" and np.isinf(a).any() for a in input_arrays(check)):
            return ("the input holds ±inf and a finite value was expected here: saturate "
                    "(clamp) to the representable range instead of passing inf through")
        negative = got_value is not None and got_value < 0
        if negative and inputs_large_negative(check):
            return ("log(0) = −inf: exp() of a very negative value underflowed to 0 before the "
                    "log — rearrange so the log never sees 0 (factor out the max, log-sum-exp, "
                    "or np.logaddexp)")
        if inputs_large_positive(check) or (not negative and inputs_large(check)):
            return ("overflow: exp() of a large value is inf — rearrange so no intermediate "
                    "exceeds the range (subtract the max, log-sum-exp, or log1p(exp(-|x|)))")
        if inputs_large(check):
            return ("log(0) = −inf: an intermediate underflowed to 0 before the log — rewrite "
                    "the formula so the log never sees 0")
        return "overflow or log(0): clip the argument, or rewrite the formula in a stable form"
    return "an infinite value must stay infinite (inf and nan in the input are kept)"


def _squeezed(shape: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(n for n in shape if n != 1)


def shape_hint(got_shape: tuple[int, ...], expected_shape: tuple[int, ...]) -> str:
    """Why the shapes may differ."""
    got_size, expected_size = math.prod(got_shape), math.prod(expected_shape)
    if expected_shape == () and got_size == 1:
        return (f" — one number was expected and you returned an array of shape {got_shape} "
                "holding it: drop the kept axis (no keepdims=True), or return a scalar")
    if expected_shape == () and len(got_shape) >= 1:
        return (f" — one number was expected and you returned {got_size} values: a missing "
                "reduction (a mean or a sum over the batch)?")
    if got_size == expected_size and _squeezed(got_shape) == _squeezed(expected_shape):
        if len(got_shape) > len(expected_shape):
            return (" — an extra axis of length 1: keepdims=True keeps the reduced axis, which "
                    "the result should drop")
        if len(got_shape) < len(expected_shape):
            return " — an axis of length 1 is missing: keep it (keepdims=True or reshape)"
    if got_shape == expected_shape[::-1] and len(got_shape) >= 2:
        return " — it looks transposed; check which axis holds what"
    if got_size == expected_size:
        return " — same number of elements: a reshape or keepdims issue?"
    if len(got_shape) < len(expected_shape):
        return (" — a dimension is missing: did you reduce over the wrong axis or forget "
                "keepdims=True?")
    if len(got_shape) > len(expected_shape):
        return " — an extra dimension: a broadcasting slip ((N,) with (N, 1) gives (N, N))?"
    return ""
