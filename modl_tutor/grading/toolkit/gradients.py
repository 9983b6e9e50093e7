"""Gradient checks for checks.py: compare a student's gradient with torch autograd."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from modl_tutor.grading.toolkit.check import Check, Fn
from modl_tutor.grading.toolkit.compare import within_relative_error

GRADIENT_REL_ERROR = 1e-7
"""CS231n's rule of thumb: relative error below 1e-7 for a correct float64 gradient."""


def torch_gradient(f_torch: Callable[..., Any], *arrays: Any, wrt: int = 0) -> np.ndarray:
    """d f_torch(*arrays) / d arrays[wrt] by autograd (`f_torch` returns a scalar tensor);
    computed by `modl_tutor.kernels.backprop.autograd_gradient_wrt`."""
    from modl_tutor.kernels.backprop import autograd_gradient_wrt

    return autograd_gradient_wrt(f_torch, *arrays, wrt=wrt)


def gradient_check(name: str, args: tuple[Any, ...], f_torch: Callable[..., Any], *,
                   wrt: int | tuple[int, ...] = 0, kwargs: dict[str, Any] | None = None,
                   rel_error: float | None = None, **fields: Any) -> Check:
    """A Check whose reference is the autograd gradient of `f_torch` at the array `args`.

    `f_torch(*tensors)` is the scalar function in torch (the same math as the student's
    function differentiates); `wrt` picks the argument(s) — a tuple of indices makes the
    reference a tuple of gradients, in that order. With `rel_error` the comparison is
    CS231n's max relative error instead of rtol/atol. Other keyword arguments are Check fields.
    """
    indices = (wrt,) if isinstance(wrt, int) else tuple(wrt)

    def reference(*call_args: Any, **_ignored: Any) -> Any:
        grads = tuple(torch_gradient(f_torch, *call_args, wrt=i) for i in indices)
        return grads[0] if isinstance(wrt, int) else grads

    if rel_error is not None and "compare" not in fields:
        fields["compare"] = within_relative_error(rel_error)
    return Check(name, args=tuple(args), kwargs=dict(kwargs or {}), reference=reference,
                 **fields)


def numerical_gradient_check(name: str, f_numpy: Fn, f_torch: Callable[[Any], Any],
                             x: np.ndarray, *, kwargs: dict[str, Any] | None = None,
                             **fields: Any) -> Check:
    """A Check for a student's `numerical_gradient(f, x, ...)`: f is `Fn("name")`, a NumPy
    function of the exercise's public drivers.py that runs in the sandbox; the reference is
    autograd of the same function written in torch."""
    if not isinstance(f_numpy, Fn):
        raise TypeError(f"check {name!r}: f must be Fn('<function in drivers.py>'): student "
                        "code runs in a process that receives plain data only")
    def reference(f: Any, at: np.ndarray, *rest: Any, **more: Any) -> np.ndarray:
        return torch_gradient(f_torch, at)

    return Check(name, args=(f_numpy, x), kwargs=dict(kwargs or {}), reference=reference,
                 **fields)
