"""Checks for precision/fixed_point: kernels.precision.to_fixed_point is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import precision as K

EXACT = {"rtol": 0.0, "atol": 0.0}
TIE_HINT = ("these values lie exactly halfway between two steps and must go to the even k "
            "(rounding halves up, or away from zero, is wrong on half of them)")
RANGE_HINT = ("k is a signed (int_bits + frac_bits)-bit integer: its range has one more "
              "negative value than positive ones")


def _ties(rng, n, int_bits, frac_bits):
    """Exact halfway values (k + 1/2)·2^-f, with k both even and odd, inside the range."""
    half = 2 ** (int_bits + frac_bits - 1)
    k = rng.integers(-half, half - 1, n)
    return (k + 0.5) * 2.0 ** -frac_bits


def checks(rng):
    yield Check("Q4.4, values on the grid", args=(np.array([0.0, 1.5, -2.25, 7.9375, -8.0]),
                                                   4, 4),
                reference=K.to_fixed_point, **EXACT,
                hint="−8 is representable in Q4.4 (k = −128); the largest value is 7.9375 "
                     "(k = 127)")
    yield Check("Q4.4, random values", args=(inputs.uniform(rng, (3, 5), -7.5, 7.5), 4, 4),
                reference=K.to_fixed_point, points=2, **EXACT,
                hint="values between steps go to the NEAREST step (np.floor or int() truncate)")
    yield Check("Q4.4, exact ties go to the even k",
                args=(np.array([0.03125, 0.09375, -0.03125, -0.09375, 1.96875, -3.03125]), 4, 4),
                reference=K.to_fixed_point, points=2, **EXACT, hint=TIE_HINT)
    yield Check("Q8.8, many random ties", args=(_ties(rng, 40, 8, 8), 8, 8),
                reference=K.to_fixed_point, **EXACT, hint=TIE_HINT)
    yield Check("Q4.4 saturates out-of-range values",
                args=(np.array([100.0, -100.0, 8.0, -8.5, 7.99, 1e300, np.inf, -np.inf]), 4, 4),
                reference=K.to_fixed_point, points=2, **EXACT,
                hint="values beyond the range saturate to its ends; " + RANGE_HINT)
    yield Check("Q1.7: the ends of the range are asymmetric",
                args=(np.array([-1.0, 1.0, -1.00390625, 0.99609375, 0.9921875, -0.99609375]),
                      1, 7),
                reference=K.to_fixed_point, **EXACT, hint=RANGE_HINT)
    yield Check("Q8.0: plain integers", args=(inputs.uniform(rng, (2, 6), -140.0, 140.0), 8, 0),
                reference=K.to_fixed_point, **EXACT)
    yield Check("Q3.12, 3-D input with ties", args=(np.concatenate(
        [inputs.normal(rng, 12, 2.0), _ties(rng, 12, 3, 12)]).reshape(2, 3, 4), 3, 12),
                reference=K.to_fixed_point, **EXACT)
    yield Check("Q16.24: large integers stay exact",
                args=(np.concatenate([inputs.uniform(rng, 8, -40000.0, 40000.0),
                                      _ties(rng, 4, 16, 24)]), 16, 24),
                reference=K.to_fixed_point, hidden=True, **EXACT,
                hint="keep k in float64 (or int64): int32 overflows for 40 bits")
