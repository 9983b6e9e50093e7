"""Checks for precision/kahan_sum: the exactly rounded float32 sum (torch) is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, Verdict, inputs
from modl_tutor.grading.toolkit.compare import ulp_distance
from modl_tutor.kernels import bank_precision as K

MAX_ULPS = 1


def _within_ulps(got, expected, check):
    """Accept a float32-convertible number within MAX_ULPS of the exactly rounded sum."""
    if isinstance(got, np.ndarray) and got.shape == ():
        got = got[()]
    if isinstance(got, bool) or not isinstance(got, (int, float, np.floating, np.integer)):
        return Verdict.fail(f"expected one float32 number, got a {type(got).__name__}")
    value = np.float32(got)
    if not np.isfinite(value):
        return Verdict.fail(f"got {float(got)!r}, expected {float(expected)!r}")
    ulps = int(ulp_distance(np.asarray(value), np.asarray(expected, np.float32)))
    if ulps <= MAX_ULPS:
        return Verdict.ok()
    naive = K.naive_sum_float32(check.args[0])
    naive_ulps = int(ulp_distance(np.asarray(naive), np.asarray(expected, np.float32)))
    return Verdict.fail(f"got {float(value)!r}, the exactly rounded sum is {float(expected)!r}: "
                        f"{ulps} ULPs off (at most {MAX_ULPS} allowed; plain left-to-right "
                        f"float32 summation is {naive_ulps} ULPs off here)")


def _check(name, x, **kw):
    return Check(name, args=(x,), reference=K.exact_sum_float32, compare=_within_ulps, **kw)


def checks(rng):
    yield _check("a few exact values", np.array([1.0, 2.0, 3.0, 4.5], np.float32))
    yield _check("an empty array sums to 0", np.zeros(0, np.float32))
    yield _check("1.0 followed by 10000 copies of 2^-25",
                 np.concatenate([[1.0], np.full(10000, 2.0**-25)]).astype(np.float32), points=2,
                 hint="each 2^-25 is less than half the float32 spacing at 1.0, so s + x rounds "
                      "back to s: keep the lost part in c and subtract it from the next addend")
    yield _check("0.1 added 10000 times", np.full(10000, 0.1, np.float32), points=2,
                 hint="every addition rounds; without compensation the errors pile up to "
                      "hundreds of ULPs")
    yield _check("20000 uniform values in [0, 1)", inputs.uniform(rng, 20000, 0.0, 1.0,
                                                                  np.float32))
    yield _check("decreasing magnitudes (lognormal)",
                 np.sort(rng.lognormal(0.0, 3.0, 4000))[::-1].astype(np.float32))
    yield _check("mixed signs, positive mean", (inputs.normal(rng, 5000) + 3.0).astype(np.float32),
                 hidden=True)
