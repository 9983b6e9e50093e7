"""Checks for losses/focal_loss: a torch focal loss built on F.binary_cross_entropy_with_logits."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_losses as B

_STABLE = ("get −log p_t from the logit directly, max(z, 0) − z·y + log(1 + exp(−|z|)), "
           "instead of log(σ(z)), which hits log(0)")


def checks(rng):
    yield Check("4 examples, gamma = 2", reference=B.focal_loss,
                args=(np.array([2.0, -1.0, 0.5, 0.0]), np.array([1.0, 0.0, 0.0, 1.0])),
                hint="p_t is σ(z) when y = 1 and 1 − σ(z) when y = 0; the weight is (1 − p_t)^γ")
    yield Check("gamma = 0 is binary cross-entropy", reference=B.focal_loss,
                args=(inputs.normal(rng, 8, 2.0), inputs.binary(rng, 8)), kwargs={"gamma": 0.0},
                hint="with γ = 0 the weight (1 − p_t)^0 is 1: you should get the mean BCE")
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
