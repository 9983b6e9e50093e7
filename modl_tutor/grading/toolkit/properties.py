"""Property checks for checks.py: validators that need no reference value."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from modl_tutor.grading.toolkit.check import Check

Validator = Callable[[Any, Any], "str | None"]


def property_check(name: str, args: tuple[Any, ...], *validators: Validator,
                   kwargs: dict[str, Any] | None = None, **fields: Any) -> Check:
    """A Check that passes when every validator returns None (no reference is computed)."""
    def validate(got: Any, check: Any) -> str | None:
        for validator in validators:
            problem = validator(got, check)
            if problem:
                return problem
        return None

    return Check(name, args=tuple(args), kwargs=dict(kwargs or {}), validate=validate, **fields)


def _array(got: Any) -> np.ndarray | None:
    try:
        array = np.asarray(got)
    except Exception:  # noqa: BLE001
        return None
    return array if array.dtype.kind in "biuf" else None


def finite() -> Validator:
    """No nan or inf anywhere in the output."""
    def validate(got: Any, check: Any) -> str | None:
        array = _array(got)
        if array is None:
            return f"expected numbers, got a {type(got).__name__}"
        bad = ~np.isfinite(array.astype(np.float64))
        if np.any(bad):
            index = tuple(int(i) for i in np.argwhere(bad)[0])
            return (f"the output holds {array[index]!r} at index {index}: every value must be "
                    "finite (overflow in exp? subtract the max first)")
        return None
    return validate


def within(low: float, high: float) -> Validator:
    """Every value in [low, high]."""
    def validate(got: Any, check: Any) -> str | None:
        array = _array(got)
        if array is None:
            return f"expected numbers, got a {type(got).__name__}"
        bad = (array < low) | (array > high)
        if np.any(bad):
            index = tuple(int(i) for i in np.argwhere(bad)[0])
            return f"value {array[index]!r} at index {index} is outside [{low:g}, {high:g}]"
        return None
    return validate


def sums_to_one(axis: int = -1, tol: float = 1e-6) -> Validator:
    """Values along `axis` add up to 1 (a probability distribution)."""
    def validate(got: Any, check: Any) -> str | None:
        array = _array(got)
        if array is None or array.ndim == 0:
            return "expected an array of probabilities"
        sums = array.astype(np.float64).sum(axis=axis)
        if not np.allclose(sums, 1.0, atol=tol, rtol=0):
            worst = float(np.max(np.abs(sums - 1.0)))
            return (f"the values along axis {axis} should sum to 1; they are off by up to "
                    f"{worst:.3g}")
        return None
    return validate


def same_shape_as(arg: int = 0) -> Validator:
    """The output has the shape of argument `arg`."""
    def validate(got: Any, check: Any) -> str | None:
        want = np.shape(check.args[arg])
        if np.shape(got) != want:
            return f"the output should have the input's shape {want}, got {np.shape(got)}"
        return None
    return validate


def same_dtype_as(arg: int = 0) -> Validator:
    """The output has the dtype of argument `arg`."""
    def validate(got: Any, check: Any) -> str | None:
        want = np.asarray(check.args[arg]).dtype
        have = np.asarray(got).dtype
        if have != want:
            return f"the output should keep the input's dtype {want}, got {have}"
        return None
    return validate
