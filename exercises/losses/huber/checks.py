"""Checks for losses/huber: F.huber_loss is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import losses as K

_DELTA = ("delta is not 1 here: it sets both where the pieces meet and the slope of the linear "
          "piece (smooth-L1 with its β set to delta differs from Huber by a factor delta)")


def checks(rng):
    yield Check("small residuals only (|r| ≤ 1): ½r²", reference=K.huber,
                args=(np.array([0.5, -0.2, 1.0, 0.9]), np.array([0.0, 0.3, 0.5, 0.0])),
                hint="every residual is inside the threshold here, so only the quadratic piece "
                     "is used — mind its factor ½")
    yield Check("large residuals only (|r| > 1)", reference=K.huber,
                args=(np.array([3.0, -2.0, 10.0]), np.array([0.0, 1.5, -4.0])),
                hint="every residual is beyond the threshold here, so only the linear piece is "
                     "used; it must meet the quadratic piece at |r| = delta")
    yield Check("mixed residuals, batch of 20", reference=K.huber,
                args=(inputs.normal(rng, 20, 2.0), inputs.normal(rng, 20, 2.0)),
                hint="residuals on both sides of the threshold: each one picks its own piece "
                     "by its size")
    yield Check("delta = 2.0", reference=K.huber, kwargs={"delta": 2.0},
                args=(inputs.normal(rng, 12, 3.0), inputs.normal(rng, 12, 3.0)), hint=_DELTA)
    yield Check("delta = 0.5", reference=K.huber, kwargs={"delta": 0.5},
                args=(inputs.normal(rng, 12), inputs.normal(rng, 12)), hint=_DELTA)
    yield Check("matrix (4, 6): the mean is over all elements", reference=K.huber,
                args=(inputs.normal(rng, (4, 6), 2.0), inputs.normal(rng, (4, 6), 2.0)),
                hint="average over every element, not per row")
    yield Check("delta = 3.0, 200 values", reference=K.huber, kwargs={"delta": 3.0}, hidden=True,
                args=(inputs.normal(rng, 200, 5.0), inputs.normal(rng, 200, 5.0)))
