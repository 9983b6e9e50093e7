"""Compare a submission's output with the reference and explain any mismatch."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

_DEFAULT_TOL = {  # dtype -> (rtol, atol)
    "float16": (1e-3, 1e-5),
    "float32": (1e-5, 1e-7),
    "float64": (1e-7, 1e-10),
}


@dataclass(frozen=True)
class Verdict:
    """The decision on one check: passed or not, and a message that explains why."""

    passed: bool
    message: str = ""

    @classmethod
    def ok(cls, message: str = "") -> Verdict:
        return cls(True, message)

    @classmethod
    def fail(cls, message: str) -> Verdict:
        return cls(False, message)


def default_tolerance(dtype: np.dtype) -> tuple[float, float]:
    """Relative and absolute tolerance suited to `dtype` (float64 when not a float)."""
    return _DEFAULT_TOL.get(np.dtype(dtype).name, _DEFAULT_TOL["float64"])


def relative_error(got: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """CS231n's relative error |a-b| / max(|a|, |b|), 0 where both are 0."""
    got = np.asarray(got, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    denom = np.maximum(np.abs(got), np.abs(expected))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denom == 0, 0.0, np.abs(got - expected) / np.where(denom == 0, 1, denom))


def ulp_distance(got: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """How many representable values of the dtype lie between got and expected."""
    dtype = np.result_type(got, expected)
    if dtype.kind != "f":
        return np.abs(np.asarray(got, np.int64) - np.asarray(expected, np.int64))
    ints = {2: np.int16, 4: np.int32, 8: np.int64}[dtype.itemsize]

    def ordered(a: np.ndarray) -> np.ndarray:
        bits = np.asarray(a, dtype=dtype).view(ints).astype(np.int64)
        return np.where(bits < 0, np.iinfo(ints).min - bits, bits)

    return np.abs(ordered(got) - ordered(expected))


def _fmt(value: Any) -> str:
    if isinstance(value, np.ndarray):
        if value.size <= 8:
            return np.array2string(value, precision=6, separator=", ", threshold=8)
        return f"array of shape {value.shape}"
    if isinstance(value, float):
        return f"{value:.8g}"
    return repr(value)[:200]


def _describe(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, np.generic):
        return f"a NumPy {value.dtype} scalar"
    return f"a {type(value).__name__}"


def compare_outputs(got: Any, expected: Any, check: Any = None, *, path: str = "output") -> Verdict:
    """Compare nested outputs (tuples, lists, dicts, arrays, numbers) with tolerances."""
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return Verdict.fail(f"{path}: expected a dict with keys {sorted(expected)}, "
                                f"got {_describe(got)}")
        missing = sorted(set(expected) - set(got))
        if missing:
            return Verdict.fail(f"{path}: missing key(s) {', '.join(map(repr, missing))}")
        for key in expected:
            verdict = compare_outputs(got[key], expected[key], check, path=f"{path}[{key!r}]")
            if not verdict.passed:
                return verdict
        return Verdict.ok()
    if isinstance(expected, (tuple, list)):
        if not isinstance(got, (tuple, list)):
            return Verdict.fail(f"{path}: expected a tuple of {len(expected)} values, "
                                f"got {_describe(got)}")
        if len(got) != len(expected):
            return Verdict.fail(f"{path}: expected {len(expected)} values, got {len(got)}")
        for i, (g, e) in enumerate(zip(got, expected)):
            verdict = compare_outputs(g, e, check, path=f"{path}[{i}]")
            if not verdict.passed:
                return verdict
        return Verdict.ok()
    return compare_arrays(got, expected, check, path=path)


def compare_arrays(got: Any, expected: Any, check: Any = None, *, path: str = "output") -> Verdict:
    """Compare one array or number with dtype-aware tolerances; explain the mismatch."""
    exp_is_array = isinstance(expected, np.ndarray)
    if got is None:
        return Verdict.fail(f"{path}: the function returned None — did you forget `return`?")
    if isinstance(got, (dict, tuple, list, str)) and not isinstance(expected, type(got)):
        return Verdict.fail(f"{path}: expected {_describe(expected)}, got {_describe(got)}")
    try:
        g = np.asarray(got)
        e = np.asarray(expected)
    except Exception:  # noqa: BLE001 - anything odd is a type mismatch
        return Verdict.fail(f"{path}: expected {_describe(expected)}, got {_describe(got)}")
    if g.dtype.kind not in "biuf" or e.dtype.kind not in "biuf":
        return Verdict.fail(f"{path}: expected numbers, got {_describe(got)}")
    if exp_is_array and not isinstance(got, np.ndarray):
        return Verdict.fail(f"{path}: expected a NumPy array of shape {e.shape}, "
                            f"got {_describe(got)}")
    if g.shape != e.shape:
        hint = ""
        if g.shape == e.shape[::-1] and g.ndim >= 2:
            hint = " — it looks transposed; check which axis holds what"
        elif g.size == e.size:
            hint = " — same number of elements: a reshape or keepdims issue?"
        elif g.ndim < e.ndim:
            hint = " — a dimension is missing: did you reduce over the wrong axis or forget keepdims?"
        return Verdict.fail(f"{path}: expected shape {e.shape}, got {g.shape}{hint}")
    check_dtype = getattr(check, "check_dtype", True)
    if check_dtype and exp_is_array and e.dtype.kind == "f" and g.dtype != e.dtype:
        return Verdict.fail(f"{path}: expected dtype {e.dtype}, got {g.dtype} — keep the input's "
                            "dtype (avoid mixing in float64 constants or arrays)")
    rtol, atol = default_tolerance(e.dtype if e.dtype.kind == "f" else np.float64)
    if check is not None and getattr(check, "rtol", None) is not None:
        rtol = check.rtol
    if check is not None and getattr(check, "atol", None) is not None:
        atol = check.atol
    g64 = g.astype(np.float64)
    e64 = e.astype(np.float64)
    g_nan, e_nan = np.isnan(g64), np.isnan(e64)
    if np.any(g_nan & ~e_nan):
        index = tuple(int(i) for i in np.argwhere(g_nan & ~e_nan)[0])
        big = np.max(np.abs(e64[np.isfinite(e64)]), initial=0.0)
        cause = (" — exp() overflowed: subtract the max (or use log-sum-exp) before exponentiating"
                 if big > 50 or _inputs_large(check) else " — look for 0/0, inf-inf or log of a "
                 "negative number")
        return Verdict.fail(f"{path}: got nan at index {index} where {_fmt(e64[index])} was "
                            f"expected{cause}")
    if np.any(e_nan & ~g_nan):
        index = tuple(int(i) for i in np.argwhere(e_nan & ~g_nan)[0])
        return Verdict.fail(f"{path}: expected nan at index {index} (nan must propagate), "
                            f"got {_fmt(g64[index])}")
    g_inf, e_inf = np.isinf(g64), np.isinf(e64)
    if np.any(g_inf != e_inf) or np.any(g64[g_inf] != e64[g_inf]):
        index = tuple(int(i) for i in np.argwhere((g_inf != e_inf) | (g_inf & (g64 != e64)))[0])
        cause = (" — overflow: rearrange the computation so no intermediate exceeds the range"
                 if g_inf[index] else "")
        return Verdict.fail(f"{path}: at index {index} expected {_fmt(e64[index])}, "
                            f"got {_fmt(g64[index])}{cause}")
    finite = np.isfinite(e64)
    diff = np.abs(g64 - e64)
    bad = finite & (diff > atol + rtol * np.abs(e64))
    if not np.any(bad):
        return Verdict.ok()
    worst = tuple(int(i) for i in np.unravel_index(np.argmax(np.where(finite, diff, -1)), e.shape))
    rel = relative_error(g64, e64)
    lines = [f"{path}: {int(bad.sum())} of {e.size} values differ (tolerance rtol={rtol:g}, "
             f"atol={atol:g}); max abs error {diff[worst]:.3g} at index {worst}, max relative "
             f"error {np.max(rel[finite]):.3g}"]
    if e.dtype.kind == "f" and g.dtype == e.dtype:
        lines[0] += f", {int(ulp_distance(g[worst], e[worst]))} ULPs"
    if e.size <= 8:
        lines.append(f"expected {_fmt(e)}\n     got {_fmt(g)}")
    else:
        lines.append(f"at {worst}: expected {_fmt(e64[worst])}, got {_fmt(g64[worst])}")
    cause = diagnose(g64, e64)
    if cause:
        lines.append(f"likely cause: {cause}")
    return Verdict.fail("\n".join(lines))


def _inputs_large(check: Any) -> bool:
    for arg in getattr(check, "args", ()) or ():
        if isinstance(arg, np.ndarray) and arg.dtype.kind == "f" and arg.size:
            if np.nanmax(np.abs(np.where(np.isfinite(arg), arg, 0))) > 80:
                return True
    return False


def diagnose(got: np.ndarray, expected: np.ndarray) -> str:
    """A guess at the cause of a numeric mismatch: sign flip, constant factor, offset, axis."""
    mask = np.isfinite(got) & np.isfinite(expected) & (np.abs(expected) > 1e-12)
    if not np.any(mask):
        return ""
    g, e = got[mask], expected[mask]
    if np.allclose(g, -e, rtol=1e-6, atol=1e-12):
        return "the sign is flipped (check the direction of the gradient or a missing minus)"
    ratio = g / e
    if np.allclose(ratio, ratio[0], rtol=1e-6) and abs(ratio[0]) > 1e-12:
        r = float(ratio[0])
        if abs(r - round(r)) < 1e-6 and abs(round(r)) >= 2:
            return (f"every value is {round(r)}× too large — a sum where a mean was expected, "
                    "or a factor counted twice")
        inv = 1 / r
        if abs(inv - round(inv)) < 1e-6 and abs(round(inv)) >= 2:
            return (f"every value is {round(inv)}× too small — a mean where a sum was expected, "
                    "or an extra division")
        return f"every value is off by the same factor {r:.6g} (a missing or extra constant)"
    offset = g - e
    if np.allclose(offset, offset[0], rtol=1e-6, atol=1e-12):
        return f"every value is off by the same constant {float(offset[0]):.6g}"
    if expected.ndim >= 2:
        for axis in range(expected.ndim):
            sums = got.sum(axis=axis)
            if np.allclose(sums, 1.0, rtol=1e-6) and not np.allclose(expected.sum(axis=axis), 1.0):
                return f"your values sum to 1 along axis {axis}: normalised over the wrong axis?"
    return ""
