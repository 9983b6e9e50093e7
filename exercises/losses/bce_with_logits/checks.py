"""Checks for losses/bce_with_logits: F.binary_cross_entropy_with_logits is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import losses as K

_STABLE = ("work from the logit z itself, in a form where exp() only ever sees −|z| and no log "
           "is taken of σ(z) or 1 − σ(z)")


def checks(rng):
    yield Check("4 examples", reference=K.bce_with_logits,
                args=(np.array([2.0, -1.0, 0.5, 0.0]), np.array([1.0, 0.0, 0.0, 1.0])))
    yield Check("batch of 10", reference=K.bce_with_logits,
                args=(inputs.normal(rng, 10, 3.0), inputs.binary(rng, 10)),
                hint="10 examples: the loss is one number, their mean")
    yield Check("logits of ±40 (σ(z) rounds to exactly 1 or 0)", reference=K.bce_with_logits,
                args=(np.array([40.0, -40.0, 38.0, -45.0]), np.array([0.0, 1.0, 0.0, 1.0])),
                hint="1 − σ(40) is 0 in float64, so log(1 − σ(z)) is −inf: " + _STABLE)
    yield Check("confident and right: the loss is nearly 0", reference=K.bce_with_logits,
                args=(np.array([50.0, -50.0, 30.0, -25.0]), np.array([1.0, 0.0, 1.0, 0.0])),
                hint="the true loss here is tiny: clipping σ(z) to [ε, 1 − ε] changes it, and "
                     "so does 1 − σ(z) computed in floating point; " + _STABLE)
    yield Check("large logits (|z| up to 1e4)", reference=K.bce_with_logits, points=2,
                args=(inputs.large(rng, 8, 1e4), inputs.binary(rng, 8)),
                hint="exp(1e4) overflows and σ(z) saturates: " + _STABLE)
    yield Check("all targets 0", reference=K.bce_with_logits,
                args=(inputs.normal(rng, 6, 2.0), np.zeros(6)))
    yield Check("1000 examples, |z| up to 20", reference=K.bce_with_logits, hidden=True,
                args=(inputs.uniform(rng, 1000, -20.0, 20.0), inputs.binary(rng, 1000)))
