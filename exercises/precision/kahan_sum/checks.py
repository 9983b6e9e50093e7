"""Checks for precision/kahan_sum: the exactly rounded float32 sum (torch) is the reference.

Where the terms cancel, compensated summation in float32 cannot reach the exactly rounded sum:
there the grader expects what float32 compensation gives (Kahan's recurrence, or Neumaier's
variant), bit for bit, and a wider accumulator (float64, Python floats) gives itself away.
"""

import numpy as np

from modl_tutor.grading.toolkit import Check, Verdict, inputs
from modl_tutor.grading.toolkit.compare import ulp_distance
from modl_tutor.kernels import bank_precision as K

MAX_ULPS = 1
CANCELLATION_SEED = 1332
"""Picked so that float32 Kahan and Neumaier both miss the exactly rounded sum, while float64
accumulation (np.sum(…, dtype="float64"), Python floats) hits it (tests/unit prove it)."""


def _number(got):
    """The float32 value of a one-number result, or a failure message."""
    if isinstance(got, np.ndarray) and got.shape == ():
        got = got[()]
    if isinstance(got, bool) or not isinstance(got, (int, float, np.floating, np.integer)):
        return None, f"expected one float32 number, got a {type(got).__name__}"
    return np.float32(got), ""


def _ulps(a, b):
    return int(ulp_distance(np.asarray(a, np.float32), np.asarray(b, np.float32)))


def _naive_sum(x):
    """Left-to-right float32 accumulation (np.add.accumulate adds in order, each sum rounded
    to float32): the feedback's comparison point, computed without torch."""
    x = np.asarray(x, dtype=np.float32)
    return np.add.accumulate(x, dtype=np.float32)[-1] if x.size else np.float32(0.0)


def _within_ulps(got, expected, check):
    """Accept a float32-convertible number within MAX_ULPS of the exactly rounded sum."""
    value, problem = _number(got)
    if problem:
        return Verdict.fail(problem)
    if not np.isfinite(value):
        return Verdict.fail(f"got {float(got)!r}, expected {float(expected)!r}")
    ulps = _ulps(value, expected)
    if ulps <= MAX_ULPS:
        return Verdict.ok()
    naive_ulps = _ulps(_naive_sum(check.args[0]), expected)
    return Verdict.fail(f"got {float(value)!r}, the exactly rounded sum is {float(expected)!r}: "
                        f"{ulps} ULPs off (at most {MAX_ULPS} allowed; plain left-to-right "
                        f"float32 summation is {naive_ulps} ULPs off here)")


def compensated(x):
    """(Kahan in float32, Neumaier in float32, the exactly rounded sum), from torch."""
    return K.kahan_sum_float32(x), K.neumaier_sum_float32(x), K.exact_sum_float32(x)


def _float32_compensation(got, expected, check):
    """Bit-exact float32 Kahan (or Neumaier); the exact sum here means a wider accumulator."""
    value, problem = _number(got)
    if problem:
        return Verdict.fail(problem)
    kahan, neumaier, exact = (np.float32(v) for v in expected)
    if value in (kahan, neumaier):
        return Verdict.ok()
    if _ulps(value, exact) <= MAX_ULPS:
        return Verdict.fail(
            f"got {float(value)!r}, the exactly rounded sum — which float32 compensated "
            f"summation cannot reach on this input (Kahan's recurrence in float32 gives "
            f"{float(kahan)!r}): the additions were done in a wider type (float64, "
            "np.sum(…, dtype=\"float64\"), Python floats from .tolist() or float(…)), not in "
            "float32 as asked")
    return Verdict.fail(f"got {float(value)!r}; Kahan's recurrence in float32 gives "
                        f"{float(kahan)!r} here ({_ulps(value, kahan)} ULPs away) and the "
                        f"exactly rounded sum is {float(exact)!r}")


def cancellation_input():
    """300 float32 terms of magnitude up to ~1e4 that cancel to a total of about 0.003."""
    rng = np.random.default_rng(CANCELLATION_SEED)
    n = int(rng.integers(100, 400))
    base = (rng.standard_normal(n) * 10 ** rng.uniform(0, 4, n)).astype(np.float32)
    x = np.concatenate([base, -base]).astype(np.float32)
    x = (x + (rng.standard_normal(2 * n) * 1e-2).astype(np.float32)).astype(np.float32)
    rng.shuffle(x)
    return x


def _check(name, x, **kw):
    return Check(name, args=(x,), reference=K.exact_sum_float32, compare=_within_ulps, **kw)


def checks(rng):
    yield _check("a few exact values", np.array([1.0, 2.0, 3.0, 4.5], np.float32))
    yield _check("an empty array sums to 0", np.zeros(0, np.float32))
    yield _check("1.0 followed by 10000 copies of 2^-25",
                 np.concatenate([[1.0], np.full(10000, 2.0**-25)]).astype(np.float32), points=2,
                 hint="each 2^-25 is less than half the float32 spacing at 1.0, so adding it to "
                      "1.0 rounds back to 1.0: every addend is lost unless its lost part is "
                      "carried on")
    yield _check("0.1 added 10000 times", np.full(10000, 0.1, np.float32), points=2,
                 hint="every addition rounds, and without compensation the errors pile up to "
                      "hundreds of ULPs")
    yield _check("20000 uniform values in [0, 1)", inputs.uniform(rng, 20000, 0.0, 1.0,
                                                                  np.float32))
    yield _check("decreasing magnitudes (lognormal)",
                 np.sort(rng.lognormal(0.0, 3.0, 4000))[::-1].astype(np.float32))
    yield Check("terms that cancel: float32 compensation, not a wider accumulator",
                args=(cancellation_input(),), reference=compensated,
                compare=_float32_compensation, points=2,
                hint="here the exact total (about 0.003) is tiny next to the partial sums "
                     "(about 1e4), so even compensated float32 summation misses it; the grader "
                     "expects the float32 result, which only float32 arithmetic produces")
    yield _check("mixed signs, positive mean", (inputs.normal(rng, 5000) + 3.0).astype(np.float32),
                 hidden=True)
