"""Checks for losses/label_smoothing: F.cross_entropy(label_smoothing=s) is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_losses as B

_SPREAD = ("check the smoothed target of one row: the s spread over the classes reaches the "
           "true class too (PyTorch's convention, not s/(C − 1) on the others)")


def checks(rng):
    yield Check("smoothing = 0 is plain cross-entropy", reference=B.smoothed_cross_entropy,
                args=(inputs.normal(rng, (3, 4), 2.0), inputs.labels(rng, 3, 4), 0.0))
    yield Check("smoothing = 0.1, 5 classes", reference=B.smoothed_cross_entropy,
                args=(inputs.normal(rng, (6, 5), 2.0), inputs.labels(rng, 6, 5), 0.1),
                hint=_SPREAD)
    yield Check("smoothing = 0.2, 10 classes, 16 rows", reference=B.smoothed_cross_entropy,
                args=(inputs.normal(rng, (16, 10), 3.0), inputs.labels(rng, 16, 10), 0.2),
                hint="16 rows: the loss of a row sums over its classes, and the rows are then "
                     "averaged")
    yield Check("smoothing = 1: a uniform target", reference=B.smoothed_cross_entropy,
                args=(inputs.normal(rng, (4, 3)), inputs.labels(rng, 4, 3), 1.0))
    yield Check("large logits (|z| up to 1e4)", reference=B.smoothed_cross_entropy, points=2,
                args=(inputs.large(rng, (5, 4), 1e4), inputs.labels(rng, 5, 4), 0.1),
                hint="every class's log-probability is used, even the tiny ones: log(softmax(z)) "
                     "gives log(0) = −inf for them, and exp() of logits of 1e4 overflows")
    yield Check("a single example, 3 classes", reference=B.smoothed_cross_entropy, hidden=True,
                args=(np.array([[1.0, -2.0, 0.5]]), np.array([2]), 0.3))
