"""Checks for losses/focal_loss: a torch focal loss built on F.binary_cross_entropy_with_logits."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_losses as B

_STABLE = ("−log p_t must come from the logit directly: log(σ(z)) or log(1 − σ(z)) hits log(0) "
           "once σ(z) rounds to 0 or 1")


def checks(rng):
    yield Check("4 examples, gamma = 2", reference=B.focal_loss,
                args=(np.array([2.0, -1.0, 0.5, 0.0]), np.array([1.0, 0.0, 0.0, 1.0])),
                hint="the first line shows how far off the mean loss is; compare the examples "
                     "with y = 1 and with y = 0 — p_t is a different expression for each")
    yield Check("gamma = 0 is binary cross-entropy", reference=B.focal_loss,
                args=(inputs.normal(rng, 8, 2.0), inputs.binary(rng, 8)), kwargs={"gamma": 0.0},
                hint="with γ = 0 every weight is 1, so the result must be the mean binary "
                     "cross-entropy")
    yield Check("batch of 12, gamma = 2", reference=B.focal_loss,
                args=(inputs.normal(rng, 12, 3.0), inputs.binary(rng, 12)),
                hint="the loss is the MEAN over the examples, not their sum")
    yield Check("gamma = 0.5", reference=B.focal_loss, kwargs={"gamma": 0.5},
                args=(inputs.normal(rng, 10, 2.0), inputs.binary(rng, 10)),
                hint="use the `gamma` argument as the exponent, not a fixed 2")
    yield Check("confidently wrong, logits of ±40", reference=B.focal_loss,
                args=(np.array([40.0, -40.0, 45.0]), np.array([0.0, 1.0, 0.0])),
                hint="σ(40) is exactly 1.0 in float64: " + _STABLE)
    yield Check("large logits (|z| up to 1e4)", reference=B.focal_loss, points=2,
                args=(inputs.large(rng, 8, 1e4), inputs.binary(rng, 8)),
                hint="exp(1e4) overflows and σ(z) saturates: " + _STABLE)
    yield Check("500 examples, gamma = 3", reference=B.focal_loss, kwargs={"gamma": 3.0},
                hidden=True, args=(inputs.uniform(rng, 500, -15.0, 15.0),
                                   inputs.binary(rng, 500)))
