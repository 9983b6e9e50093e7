"""Compare a submission's output with the reference and explain any mismatch."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from modl_tutor.grading.toolkit.diagnose import diagnose, inf_cause, nan_cause, shape_hint

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


def default_tolerance(dtype: Any) -> tuple[float, float]:
    """Relative and absolute tolerance suited to `dtype` (float64's when not a float)."""
    return _DEFAULT_TOL.get(np.dtype(dtype).name, _DEFAULT_TOL["float64"])


def relative_error(got: Any, expected: Any) -> np.ndarray:
    """CS231n's relative error |a - b| / max(|a|, |b|), elementwise; 0 where both are 0."""
    got = np.asarray(got, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    denom = np.maximum(np.abs(got), np.abs(expected))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denom == 0, 0.0, np.abs(got - expected) / np.where(denom == 0, 1, denom))


def ulp_distance(got: Any, expected: Any, dtype: Any = None) -> np.ndarray:
    """How many representable values of `dtype` lie between got and expected (elementwise).

    `dtype` defaults to the common dtype of the two; "bfloat16" measures float32 values in
    bfloat16 steps. Infinities count as the value after the largest finite one; nan gives nan.
    """
    if isinstance(dtype, str) and dtype == "bfloat16":
        return ulp_distance(np.asarray(got, np.float32), np.asarray(expected, np.float32)) / 65536
    dtype = np.result_type(np.asarray(got), np.asarray(expected)) if dtype is None \
        else np.dtype(dtype)
    if dtype.kind != "f":
        return np.abs(np.asarray(got, np.float64) - np.asarray(expected, np.float64))
    ints = {2: np.int16, 4: np.int32, 8: np.int64}[dtype.itemsize]

    def ordered(a: Any) -> np.ndarray:
        bits = np.asarray(a, dtype=dtype).view(ints).astype(np.int64)
        return np.where(bits < 0, np.iinfo(ints).min - bits, bits)

    g, e = np.asarray(got, dtype=dtype), np.asarray(expected, dtype=dtype)
    distance = np.abs(ordered(g).astype(np.float64) - ordered(e).astype(np.float64))
    return np.where(np.isnan(g) | np.isnan(e), np.nan, distance)


def _fmt(value: Any) -> str:
    if isinstance(value, np.ndarray):
        if value.size <= 8:
            return np.array2string(value, precision=6, separator=", ", threshold=8)
        return f"array of shape {value.shape}"
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.8g}"
    return repr(value)[:200]


def _describe(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, np.generic):
        return f"a NumPy {value.dtype} scalar"
    return f"a {type(value).__name__}"


def compare_outputs(got: Any, expected: Any, check: Any = None, *, path: str = "output",
                    keys: tuple[Any, ...] = ()) -> Verdict:
    """Compare nested outputs (tuples, lists, dicts, arrays, numbers) with tolerances.

    `keys` is where this part sits in the whole output (to pick the same part of a known
    mistake's value)."""
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return Verdict.fail(f"{path}: expected a dict with keys {sorted(expected)}, "
                                f"got {_describe(got)}")
        missing = sorted(set(expected) - set(got))
        if missing:
            return Verdict.fail(f"{path}: missing key(s) {', '.join(map(repr, missing))}")
        verdicts = {key: compare_outputs(got[key], expected[key], check,
                                         path=f"{path}[{key!r}]", keys=(*keys, key))
                    for key in expected}
        return _first_failure(verdicts)
    if isinstance(expected, (tuple, list)):
        if not isinstance(got, (tuple, list)):
            return Verdict.fail(f"{path}: expected a tuple of {len(expected)} values, "
                                f"got {_describe(got)}")
        if len(got) != len(expected):
            return Verdict.fail(f"{path}: expected {len(expected)} values, got {len(got)}")
        return _first_failure({f"{path}[{i}]": compare_outputs(g, e, check, path=f"{path}[{i}]",
                                                               keys=(*keys, i))
                               for i, (g, e) in enumerate(zip(got, expected))})
    return compare_arrays(got, expected, check, path=path, keys=keys)


def _first_failure(verdicts: dict[Any, Verdict]) -> Verdict:
    """The first failing part's verdict, saying which parts of the output were right."""
    wrong = [key for key, verdict in verdicts.items() if not verdict.passed]
    if not wrong:
        return Verdict.ok()
    message = verdicts[wrong[0]].message
    right = [key for key in verdicts if key not in wrong]
    if right and len(verdicts) > 1:
        names = ", ".join(str(key) for key in right)
        bad = ", ".join(str(key) for key in wrong)
        message = f"{message}\n(right: {names}; wrong: {bad})"
    return Verdict.fail(message)


def check_shape(got: Any, expected: Any, path: str = "output") -> Verdict:
    """Shape only (with a hint at transposes, keepdims and broadcasting slips)."""
    g_shape, e_shape = np.shape(got), np.shape(expected)
    if g_shape != e_shape:
        return Verdict.fail(f"{path}: expected shape {e_shape}, got {g_shape}"
                            f"{shape_hint(g_shape, e_shape)}")
    return Verdict.ok()


def check_dtype(got: Any, expected: Any, path: str = "output") -> Verdict:
    """Dtype only: a float array must keep the reference's dtype."""
    g_dtype, e_dtype = np.asarray(got).dtype, np.asarray(expected).dtype
    if e_dtype.kind == "f" and g_dtype != e_dtype:
        cause = (" — a float64 constant, np.array(…) without dtype, or np.float64(…) "
                 "upcast it" if g_dtype == np.float64
                 else " — do the arithmetic in the input's dtype")
        return Verdict.fail(f"{path}: expected dtype {e_dtype}, got {g_dtype}{cause}")
    return Verdict.ok()


def compare_arrays(got: Any, expected: Any, check: Any = None, *, path: str = "output",
                   keys: tuple[Any, ...] = ()) -> Verdict:
    """Compare one array or number with dtype-aware tolerances; explain the mismatch."""
    exp_is_array = isinstance(expected, np.ndarray)
    if got is None:
        return Verdict.fail(f"{path}: the function returned None — did you forget `return`?")
    if isinstance(got, (dict, tuple, list, str)) and not isinstance(expected, type(got)):
        advice = (" — return a NumPy array (np.asarray(...)), not a Python list"
                  if isinstance(got, list) and exp_is_array else "")
        return Verdict.fail(f"{path}: expected {_describe(expected)}, got {_describe(got)}"
                            f"{advice}")
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
    verdict = check_shape(g, e, path)
    if not verdict.passed:
        return verdict
    if getattr(check, "check_dtype", True) and exp_is_array:
        verdict = check_dtype(g, e, path)
        if not verdict.passed:
            return verdict
    with np.errstate(invalid="ignore"):  # a signalling nan's payload warns when widened
        g64, e64 = g.astype(np.float64), e.astype(np.float64)
    special = _compare_specials(g64, e64, check, path, keys)
    if special is not None:
        return special
    ulps = getattr(check, "ulps", None)
    if ulps is not None and e.dtype.kind == "f":
        distance = ulp_distance(g.astype(e.dtype), e)
        bad = np.isfinite(e64) & (distance > ulps)
        tolerance = f"at most {ulps:g} ULP{'s' if ulps != 1 else ''} of {e.dtype}"
    else:
        rtol, atol = default_tolerance(e.dtype if e.dtype.kind == "f" else np.float64)
        rtol = rtol if getattr(check, "rtol", None) is None else check.rtol
        atol = atol if getattr(check, "atol", None) is None else check.atol
        with np.errstate(invalid="ignore"):
            bad = np.isfinite(e64) & (np.abs(g64 - e64) > atol + rtol * np.abs(e64))
        tolerance = f"tolerance rtol={rtol:g}, atol={atol:g}"
    if not np.any(bad):
        return Verdict.ok()
    return Verdict.fail(mismatch_report(g, e, bad, tolerance, check, path, keys))


def _compare_specials(g64: np.ndarray, e64: np.ndarray, check: Any, path: str,
                      keys: tuple[Any, ...] = ()) -> Verdict | None:
    g_nan, e_nan = np.isnan(g64), np.isnan(e64)
    g_inf, e_inf = np.isinf(g64), np.isinf(e64)
    if not np.any((g_nan != e_nan) | (g_inf != e_inf) | (g_inf & e_inf & (g64 != e64))):
        return None
    known = _known_mistake(g64, check, keys, e64)
    if np.any(g_nan & ~e_nan):
        index = tuple(int(i) for i in np.argwhere(g_nan & ~e_nan)[0])
        finite = np.abs(e64[np.isfinite(e64)])
        big = float(np.max(finite)) if finite.size else 0.0
        where = f" at index {index}" if index else ""
        return Verdict.fail(f"{path}: got nan{where} where {_fmt(e64[index])} was "
                            f"expected\nlikely cause: {known or nan_cause(check, big)}")
    if np.any(e_nan & ~g_nan):
        index = tuple(int(i) for i in np.argwhere(e_nan & ~g_nan)[0])
        where = f" at index {index}" if index else ""
        return Verdict.fail(f"{path}: expected nan{where} (nan must propagate), "
                            f"got {_fmt(g64[index])}"
                            + (f"\nlikely cause: {known}" if known else ""))
    wrong = (g_inf != e_inf) | (g_inf & e_inf & (g64 != e64))
    if np.any(wrong):
        index = tuple(int(i) for i in np.argwhere(wrong)[0])
        where = f" at index {index}" if index else ""
        return Verdict.fail(f"{path}:{where} expected {_fmt(e64[index])}, got "
                            f"{_fmt(g64[index])}\nlikely cause: "
                            f"{known or inf_cause(check, bool(g_inf[index]), float(g64[index]))}")
    return None


def mismatch_report(g: np.ndarray, e: np.ndarray, bad: np.ndarray, tolerance: str, check: Any,
                    path: str, keys: tuple[Any, ...] = ()) -> str:
    """How many values differ, the worst absolute and relative errors and where, the ULPs,
    expected vs got, and a likely cause."""
    with np.errstate(invalid="ignore"):  # a signalling nan's payload warns when widened
        g64, e64 = g.astype(np.float64), e.astype(np.float64)
    finite = np.isfinite(e64)
    diff = np.where(finite, np.abs(g64 - e64), -1.0)
    worst = tuple(int(i) for i in np.unravel_index(int(np.argmax(diff)), e.shape))
    rel = relative_error(g64, e64)
    worst_rel = tuple(int(i) for i in np.unravel_index(int(np.argmax(np.where(finite, rel, -1))),
                                                       e.shape))
    where = f" at index {worst}" if e.ndim else ""
    head = (f"{path}: {int(bad.sum())} of {e.size} values differ ({tolerance})" if e.size > 1
            else f"{path}: the value differs ({tolerance})")
    lines = [f"{head}; max abs error {diff[worst]:.3g}{where}, max relative error "
             f"{rel[worst_rel]:.3g}" + (f" at index {worst_rel}" if e.ndim else "")]
    if e.dtype.kind == "f" and g.dtype == e.dtype:
        ulps = float(ulp_distance(g[worst], e[worst]))
        if ulps < 1e6:  # beyond that, ULPs say nothing the errors above do not
            lines[0] += f", {ulps:.0f} ULP{'s' if ulps != 1 else ''} of {e.dtype}"
    if e.size <= 8:
        shown_e, shown_g = (e, g) if e.ndim else (e64[()], g64[()])
        lines.append(f"expected {_fmt(shown_e)}\n     got {_fmt(shown_g)}")
    else:
        lines.append(f"at {worst}: expected {_fmt(e64[worst])}, got {_fmt(g64[worst])}")
    cause = _known_mistake(g64, check, keys, e64) or diagnose(g64, e64, check)
    if cause:
        lines.append(f"likely cause: {cause}")
    return "\n".join(lines)


def _known_mistake(got: np.ndarray, check: Any, keys: tuple[Any, ...] = (),
                   expected: np.ndarray | None = None) -> str:
    """The message of the known mistake that `got` matches: close to that wrong value, and
    (when `expected` is given) clearly nearer to it than to the expected one."""
    if check is None or not getattr(check, "mistakes", None):
        return ""
    for message, value in check.mistake_values():
        try:
            for key in keys:  # the same part of a structured (tuple/dict) wrong output
                value = value[key]
            wrong = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError, KeyError, IndexError):
            continue
        if wrong.shape != got.shape or not np.allclose(got, wrong, rtol=1e-6, atol=1e-9,
                                                       equal_nan=True):
            continue
        if expected is not None and expected.shape == got.shape:
            with np.errstate(invalid="ignore"):
                to_wrong = np.nanmax(np.abs(got - wrong), initial=0.0)
                to_expected = np.nanmax(np.abs(got - expected), initial=0.0)
            if not to_wrong < 0.5 * to_expected:
                continue
        return message
    return ""


# -- comparison factories for Check(compare=...) ---------------------------------------------
def within_ulps(ulps: float, dtype: Any = None) -> Callable[[Any, Any, Any], Verdict]:
    """One array within `ulps` units in the last place (of `dtype`, e.g. "bfloat16")."""
    def compare(got: Any, expected: Any, check: Any) -> Verdict:
        verdict = compare_outputs(got, expected, _Loose(check))
        if not verdict.passed:
            return verdict
        g, e = np.asarray(got, np.float64), np.asarray(expected, np.float64)
        dist = ulp_distance(np.asarray(got), np.asarray(expected), dtype)
        bad = np.isfinite(e) & ~(dist <= ulps)
        if not np.any(bad):
            return Verdict.ok()
        unit = dtype if isinstance(dtype, str) else np.asarray(expected).dtype
        worst = float(np.nanmax(np.where(bad, dist, 0)))
        return Verdict.fail(mismatch_report(g, e, bad, f"at most {ulps:g} ULPs of {unit}",
                                            check, "output")
                            + f"\nworst distance: {worst:g} ULPs of {unit}")
    return compare


def within_relative_error(threshold: float) -> Callable[[Any, Any, Any], Verdict]:
    """CS231n-style: the largest relative error |a-b|/max(|a|,|b|) must stay below `threshold`."""
    def compare(got: Any, expected: Any, check: Any) -> Verdict:
        verdict = compare_outputs(got, expected, _Loose(check))
        if not verdict.passed:
            return verdict
        g, e = np.asarray(got, np.float64), np.asarray(expected, np.float64)
        rel = relative_error(g, e)
        bad = np.isfinite(e) & (rel > threshold)
        if not np.any(bad):
            return Verdict.ok()
        return Verdict.fail(mismatch_report(g, e, bad, f"relative error ≤ {threshold:g}",
                                            check, "output"))
    return compare


def exact() -> Callable[[Any, Any, Any], Verdict]:
    """Bit-for-bit equal values (nan equal to nan)."""
    return within_ulps(0)


class _Loose:
    """A view of a check whose value tolerance is infinite (structure, dtype and specials only)."""

    def __init__(self, check: Any) -> None:
        self._check = check
        self.rtol, self.atol, self.ulps = np.inf, np.inf, None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._check, name)
