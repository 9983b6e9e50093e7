"""Checks for backprop/linear_backward: torch autograd of X @ W + b is the reference.

A failed check names the gradient that is off (and the ones that are right); the hints say
what the check is about, and the formulas are left to `modl hint`.
"""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import backprop as K


def _dx_untransposed(X, W, b, dY):
    return {"dX": dY @ W, "dW": X.T @ dY, "db": dY.sum(axis=0)}


def _dw_untransposed(X, W, b, dY):
    return {"dX": dY @ W.T, "dW": (dY.T @ X).T if W.shape[0] != W.shape[1] else dY.T @ X,
            "db": dY.sum(axis=0)}


def _averaged(X, W, b, dY):
    n = X.shape[0]
    return {"dX": dY @ W.T / n, "dW": X.T @ dY / n, "db": dY.mean(axis=0)}


MISTAKES = {
    "dX came out as dY·W: W enters dX transposed (a square W lets the shapes hide this)":
        _dx_untransposed,
    "dW came out as dYᵀ·X, which is the transpose of dW (a square W lets the shapes hide this)":
        _dw_untransposed,
    "this gradient is divided by N: nothing in Y = XW + b averages over the batch (a loss may, "
    "but dY already carries that)": _averaged,
}


def _layer(rng, N, D, H, dtype=np.float64):
    return (inputs.normal(rng, (N, D), dtype=dtype), inputs.normal(rng, (D, H), dtype=dtype),
            inputs.normal(rng, H, dtype=dtype), inputs.normal(rng, (N, H), dtype=dtype))


def _check(name, args, **kw):
    return Check(name, args=args, reference=K.linear_backward, mistakes=MISTAKES, **kw)


def checks(rng):
    yield _check("batch N=4, D=3, H=5", _layer(rng, 4, 3, 5), points=2,
                 hint="the first line names the gradient that is off; each gradient has the "
                      "shape of what it differentiates (dX like X, dW like W, db like b)")
    yield _check("square weights (D = H = 4): a transpose is not caught by the shape",
                 _layer(rng, 3, 4, 4),
                 hint="with D = H a transposed matrix has the right shape but not the right "
                      "values, so only the values catch it here")
    # No hint: whatever goes wrong with N = 1 (a squeezed axis, a scalar), the shape report
    # names the gradient and the missing axis; a fixed hint would guess at one of them.
    yield _check("a single example (N = 1)", _layer(rng, 1, 3, 2))
    yield _check("float32 inputs keep float32", _layer(rng, 5, 2, 3, np.float32),
                 hint="float32 inputs give float32 gradients")
    yield _check("larger layer N=64, D=20, H=10", _layer(rng, 64, 20, 10), hidden=True)
