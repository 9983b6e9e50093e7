"""Checks for regularization/layer_norm: torch.nn.functional.layer_norm is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_regularization as K


def _wrong(axis=-1, ddof=0, eps_outside=False):
    """A layer norm with one of the usual slips, computed in float64 (for feedback only)."""
    def wrong(x, gamma, beta, eps=1e-5):
        x = np.asarray(x, np.float64)
        centred = x - x.mean(axis=axis, keepdims=True)
        var = x.var(axis=axis, ddof=ddof, keepdims=True)
        scale = np.sqrt(var) + eps if eps_outside else np.sqrt(var + eps)
        return centred / scale * gamma + beta
    return wrong


MISTAKES = {
    "the statistics were taken over axis 0 (per feature, as batch norm does); layer norm "
    "normalises each row over its last axis": _wrong(axis=0),
    "that is the unbiased variance (ddof=1): layer norm divides by D": _wrong(ddof=1),
    "eps was added to the standard deviation; it belongs under the square root: "
    "sqrt(σ² + eps)": _wrong(eps_outside=True),
}


def _case(rng, shape, loc=0.0, scale=1.0, dtype=np.float64):
    D = shape[-1]
    x = (loc + inputs.normal(rng, shape, scale)).astype(dtype)
    return x, (1.0 + inputs.normal(rng, D, 0.3)).astype(dtype), inputs.normal(rng, D, 0.5, dtype)


def checks(rng):
    yield Check("batch (4, 6)", args=_case(rng, (4, 6)), reference=K.layer_norm, points=2,
                mistakes=MISTAKES,
                hint="μ and σ² per row: np.mean(x, axis=-1, keepdims=True)")
    yield Check("one row [1, 2, 3, 6], gamma = 1, beta = 0",
                args=(np.array([[1.0, 2.0, 3.0, 6.0]]), np.ones(4), np.zeros(4)),
                reference=K.layer_norm, mistakes=MISTAKES)
    yield Check("(5, 3): per row, not per column", args=_case(rng, (5, 3)),
                reference=K.layer_norm, mistakes=MISTAKES,
                hint="reduce over the last axis (the features of one example), not axis 0")
    yield Check("D = 2: the biased variance", args=_case(rng, (3, 2)), reference=K.layer_norm,
                mistakes=MISTAKES, hint="divide by D (np.var's default ddof=0), not D − 1")
    yield Check("eps = 0.5 is passed in", args=_case(rng, (3, 4), scale=0.5),
                kwargs={"eps": 0.5}, reference=K.layer_norm, mistakes=MISTAKES,
                hint="use the `eps` argument inside the square root: sqrt(σ² + eps)")
    x, gamma, beta = _case(rng, (3, 5))
    x[1] = 4.0
    yield Check("a constant row (variance 0) gives beta", args=(x, gamma, beta),
                reference=K.layer_norm,
                hint="with σ² = 0 the row is x − μ = 0; dividing by sqrt(0 + eps) keeps it 0")
    yield Check("float32 keeps float32", args=_case(rng, (4, 5), dtype=np.float32),
                reference=K.layer_norm)
    yield Check("float32 rows with mean 1000", args=_case(rng, (4, 8), loc=1000.0,
                                                          dtype=np.float32),
                reference=K.layer_norm, rtol=1e-4, atol=1e-4, points=2,
                hint="mean(x²) − μ² cancels catastrophically when μ is large: compute the "
                     "variance as mean((x − μ)²)")
    yield Check("3-D input (2, 3, 8)", args=_case(rng, (2, 3, 8), loc=-2.0, scale=3.0),
                reference=K.layer_norm, hidden=True)
