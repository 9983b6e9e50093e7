"""Checks for losses/huber: F.huber_loss is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import losses as K

_DELTA = ("use delta in both pieces: ½r² when |r| ≤ delta, delta·(|r| − delta/2) beyond "
          "(smooth-L1 with β = delta differs from it by a factor delta)")


def checks(rng):
    yield Check("small residuals only (|r| ≤ 1): ½r²", reference=K.huber,
                args=(np.array([0.5, -0.2, 1.0, 0.9]), np.array([0.0, 0.3, 0.5, 0.0])),
                hint="inside the threshold the loss is ½r², with the ½")
    yield Check("large residuals only (|r| > 1)", reference=K.huber,
                args=(np.array([3.0, -2.0, 10.0]), np.array([0.0, 1.5, -4.0])),
                hint="beyond the threshold the loss is delta·(|r| − delta/2): linear in |r|, "
                     "shifted so it meets ½r² at |r| = delta")
    yield Check("mixed residuals, batch of 20", reference=K.huber,
                args=(inputs.normal(rng, 20, 2.0), inputs.normal(rng, 20, 2.0)),
                hint="pick the piece by the size of each residual |pred − target| "
                     "(np.where), then average")
    yield Check("delta = 2.0", reference=K.huber, kwargs={"delta": 2.0},
                args=(inputs.normal(rng, 12, 3.0), inputs.normal(rng, 12, 3.0)), hint=_DELTA)
    yield Check("delta = 0.5", reference=K.huber, kwargs={"delta": 0.5},
                args=(inputs.normal(rng, 12), inputs.normal(rng, 12)), hint=_DELTA)
    yield Check("matrix (4, 6): the mean is over all elements", reference=K.huber,
                args=(inputs.normal(rng, (4, 6), 2.0), inputs.normal(rng, (4, 6), 2.0)),
                hint="average over every element, not per row")
    yield Check("delta = 3.0, 200 values", reference=K.huber, kwargs={"delta": 3.0}, hidden=True,
                args=(inputs.normal(rng, 200, 5.0), inputs.normal(rng, 200, 5.0)))
