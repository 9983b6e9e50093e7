"""Checks for precision/stochastic_rounding: a torch floor/compare reference, and unbiasedness."""

import numpy as np

from modl_tutor.grading.toolkit import Check, Verdict, inputs
from modl_tutor.kernels import bank_precision as K

FLOOR_HINT = ("for negative x the grid point BELOW x is not the one toward zero: int(), "
              "astype(int) and np.trunc pick the wrong neighbour there")


def _unbiased(got, expected, check):
    """The mean of many stochastic roundings of one value must be close to that value."""
    x, step = check.args[0], check.args[1]
    if not isinstance(got, np.ndarray) or got.shape != x.shape or got.dtype.kind != "f":
        return Verdict.fail(f"expected a float array of shape {x.shape}")
    on_grid = np.isclose(got / step, np.round(got / step), rtol=0.0, atol=1e-9)
    if not np.all(on_grid):
        return Verdict.fail("some results are not multiples of `step`")
    mean = float(np.mean(got))
    if abs(mean - float(x[0])) > 0.02 * step:
        return Verdict.fail(f"the average of {x.size} stochastic roundings of {float(x[0])} is "
                            f"{mean:.5f}, not {float(x[0])}: the rounding is biased — the "
                            "probability of rounding up must be the distance from the grid point "
                            "below, as a fraction of the step")
    return Verdict.ok()


def checks(rng):
    yield Check("step 1, hand-picked u", args=(np.array([2.3, 2.3, 2.7, 2.7]), 1.0,
                                               np.array([0.1, 0.5, 0.65, 0.75])),
                reference=K.stochastic_round, rtol=0.0, atol=1e-12,
                hint="the probability of rounding up grows with the distance from the grid point "
                     "below (not from the nearest one)")
    yield Check("negative values", args=(np.array([-2.3, -2.3, -0.25, -0.25]), 1.0,
                                         np.array([0.5, 0.8, 0.7, 0.8])),
                reference=K.stochastic_round, rtol=0.0, atol=1e-12, points=2, hint=FLOOR_HINT)
    yield Check("values on the grid never move", args=(np.array([0.0, 1.5, -3.0, 0.25]), 0.25,
                                                       np.zeros(4)),
                reference=K.stochastic_round, rtol=0.0, atol=1e-12,
                hint="these values are already on the grid: they stay where they are whatever "
                     "u is, u = 0 included")
    yield Check("random values, step 2^-4", args=(inputs.normal(rng, (4, 5), 2.0), 2.0**-4,
                                                  inputs.uniform(rng, (4, 5), 0.0, 1.0)),
                reference=K.stochastic_round, rtol=0.0, atol=1e-12, points=2, hint=FLOOR_HINT)
    yield Check("step 0.1, 3-D", args=(inputs.uniform(rng, (2, 3, 4), -5.0, 5.0), 0.1,
                                       inputs.uniform(rng, (2, 3, 4), 0.0, 1.0)),
                reference=K.stochastic_round, rtol=1e-12, atol=1e-12)
    yield Check("unbiased: 20000 roundings of 1.3 with step 1",
                args=(np.full(20000, 1.3), 1.0, inputs.uniform(rng, 20000, 0.0, 1.0)),
                compare=_unbiased, show_input=False)
    yield Check("unbiased for a negative value, step 0.5",
                args=(np.full(20000, -0.7), 0.5, inputs.uniform(rng, 20000, 0.0, 1.0)),
                compare=_unbiased, hidden=True, show_input=False, hint=FLOOR_HINT)
