"""Checks for derivatives/numerical_gradient: torch.autograd gradients of smooth functions.

The functions f run in the sandbox from the public drivers.py beside this file."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from modl_tutor.grading.toolkit import Check, Driver, Fn, Verdict, compare_outputs, inputs
from modl_tutor.kernels import bank_derivatives as K
from modl_tutor.kernels._lazy import torch  # imported when a reference is computed, not here

STRUCTURE_TOL = {"rtol": 1e-4, "atol": 1e-4}
"""Loose enough for any finite difference: these checks test indexing, shapes and copies."""


def _reference(torch_fn: Callable[[torch.Tensor], torch.Tensor],
               factor: Callable[[float], float] | None = None) -> Callable[..., np.ndarray]:
    def reference(f: Any, x: np.ndarray, h: float = 1e-5) -> np.ndarray:
        grad = K.autograd_gradient(torch_fn, x)
        return grad * factor(h) if factor is not None else grad

    return reference


def _matrix_case(rng: np.random.Generator) -> tuple[Fn, Any]:
    A = inputs.normal(rng, (2, 3))
    return Fn("tanh_layer", A=A), _reference(lambda W: torch.tanh(torch.from_numpy(A.copy()) @ W)
                                             .sum())


def _tensor_case(rng: np.random.Generator) -> tuple[Fn, Any]:
    weights = inputs.uniform(rng, (2, 3, 2), 0.5, 2.0)
    return Fn("weighted_cubes", weights=weights), _reference(
        lambda t: (torch.from_numpy(weights.copy()) * t ** 3).sum())


RESTORE_X = np.array([0.1, 0.2, 0.7, 1.1, -0.9])
"""The same entries as drivers.RESTORE_X: x + h - 2h + h != x for them (h = 1e-5)."""


def _restore_expected() -> dict[str, Any]:
    return {"gradient": K.autograd_gradient(lambda t: (t ** 2).sum(), RESTORE_X),
            "x_after": RESTORE_X.copy(),
            "f_after": float(np.sum(RESTORE_X ** 2))}


def _restore_compare(got: Any, expected: Any, check: Check) -> Verdict:
    if not isinstance(got, dict) or not isinstance(got.get("x_after"), np.ndarray):
        return compare_outputs(got, expected, check)
    after, before = got["x_after"], expected["x_after"]
    if after.shape != before.shape or not np.array_equal(after, before):
        if after.shape != before.shape:
            return Verdict.fail(f"x changed shape during the call: {before.shape} → "
                                f"{after.shape}")
        i = int(np.argmax(after != before))
        return Verdict.fail(
            f"x was modified: x[{i}] was {float(before[i])!r} before the call and is "
            f"{float(after[i])!r} after it, so f(x) is now {got['f_after']!r} instead of "
            f"{expected['f_after']!r}. Adding and subtracting h does not always give back the "
            "same float: save the old value and assign it back (x[i] = old), or perturb a copy "
            "of x.")
    return compare_outputs(got["gradient"], expected["gradient"], check, path="gradient")


def checks(rng: np.random.Generator):  # type: ignore[no-untyped-def]
    v = inputs.uniform(rng, 6, -2.0, 2.0)
    yield Check("1-D x, f(x) = sum of squares", args=(Fn("sum_of_squares"), v),
                kwargs={"h": 1e-5}, reference=_reference(lambda t: (t ** 2).sum()),
                **STRUCTURE_TOL)

    tanh_layer, tanh_ref = _matrix_case(rng)
    yield Check("2-D x (3×4 matrix), f(W) = sum(tanh(A @ W))",
                args=(tanh_layer, inputs.normal(rng, (3, 4))), reference=tanh_ref,
                hint="pass f the whole array with x's shape (not a flattened copy), and store "
                     "each partial derivative at the same index of the result",
                **STRUCTURE_TOL)

    yield Check("default step h (called without h)",
                args=(Fn("log_sum_exp"), inputs.normal(rng, 5, 2.0)),
                reference=_reference(lambda t: torch.logsumexp(t, dim=0)),
                hint="give h a default value: def numerical_gradient(f, x, h=1e-5)",
                **STRUCTURE_TOL)

    yield Check("uses the given step h = 0.1", args=(Fn("sum_of_sines"), inputs.uniform(rng, 5, -3, 3)),
                kwargs={"h": 0.1},
                reference=_reference(lambda t: torch.sin(t).sum(), lambda h: np.sin(h) / h),
                rtol=1e-7, atol=1e-9,
                hint="with h = 0.1 the central difference of sin is cos(x)·sin(h)/h, not cos(x): "
                     "use the h argument rather than a fixed step")

    yield Check("accuracy: f(x) = sum(exp(2x)) to a relative 1e-7",
                args=(Fn("sum_of_exp_2x"), inputs.uniform(rng, 5, -1.0, 1.0)), kwargs={"h": 1e-5},
                reference=_reference(lambda t: torch.exp(2.0 * t).sum()),
                rtol=1e-7, atol=1e-9, points=2,
                hint="the forward difference (f(x + h) - f(x)) / h has an error of about h·f''/2 "
                     "(here ~1e-5 relative); the central difference (f(x + h) - f(x - h)) / (2h) "
                     "is accurate to about h²")

    yield Check("x is left exactly as it was (and f(x) with it)", run=Driver("restore"),
                reference=_restore_expected, compare=_restore_compare, **STRUCTURE_TOL)

    weighted_cubes, cubes_ref = _tensor_case(rng)
    yield Check("3-D x (2×3×2)", args=(weighted_cubes, inputs.normal(rng, (2, 3, 2))),
                reference=cubes_ref, hidden=True, **STRUCTURE_TOL,
                hint="x may have any number of dimensions: loop with np.ndindex(x.shape)")

    yield Check("0-d x (a scalar array)", args=(Fn("scalar_square"), np.array(0.75)),
                reference=_reference(lambda t: torch.sin(t) * t), hidden=True, **STRUCTURE_TOL,
                hint="a 0-d array has shape () and one entry, x[()]: np.ndindex(()) visits it")
