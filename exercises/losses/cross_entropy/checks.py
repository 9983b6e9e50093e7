"""Checks for losses/cross_entropy: F.cross_entropy is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import losses as K

_LSE = ("compute the log-probabilities without forming softmax(z) first and without "
        "exponentiating the logits as they are")


def checks(rng):
    yield Check("2 rows, 3 classes", reference=K.cross_entropy,
                args=(np.array([[2.0, 1.0, 0.0], [0.5, 2.5, -1.0]]), np.array([0, 1])))
    yield Check("batch of 8 rows, 5 classes", reference=K.cross_entropy,
                args=(inputs.normal(rng, (8, 5), 2.0), inputs.labels(rng, 8, 5)),
                hint="8 rows, one example each: the loss is one number, their mean")
    yield Check("square batch (4 rows, 4 classes)", reference=K.cross_entropy,
                args=(inputs.normal(rng, (4, 4), 2.0), inputs.labels(rng, 4, 4)),
                hint="4 rows and 4 classes: the shapes cannot tell rows from classes here, and "
                     "each ROW is one example")
    yield Check("large logits (|z| up to 1e4)", reference=K.cross_entropy, points=2,
                args=(inputs.large(rng, (5, 4), 1e4), inputs.labels(rng, 5, 4)),
                hint="exp(1e4) overflows: " + _LSE)
    yield Check("confidently wrong (target logit 800 below the best)", reference=K.cross_entropy,
                args=(np.array([[800.0, 0.0, -5.0], [0.0, 3.0, 900.0]]), np.array([1, 0])),
                hint="softmax of the target class underflows to 0 and log(0) = −inf: " + _LSE)
    yield Check("equal logits give ln C", reference=K.cross_entropy,
                args=(inputs.ties((3, 6), 4.0), inputs.labels(rng, 3, 6)))
    yield Check("a single example (N = 1)", reference=K.cross_entropy,
                args=(inputs.normal(rng, (1, 7)), np.array([3])))
    yield Check("64 rows, 10 classes, int32 targets", reference=K.cross_entropy, hidden=True,
                args=(inputs.normal(rng, (64, 10), 3.0),
                      inputs.labels(rng, 64, 10).astype(np.int32)))
