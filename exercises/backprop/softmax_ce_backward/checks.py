"""Checks for backprop/softmax_ce_backward: torch autograd of F.cross_entropy is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import losses as K


def _grad(logits, targets):
    return K.grad_of("cross_entropy", logits, targets)


def checks(rng):
    yield Check("batch N=4, C=5", args=(inputs.normal(rng, (4, 5), 2.0), inputs.labels(rng, 4, 5)),
                reference=_grad, points=2,
                hint="compare a row where you are off with the expected one: a common factor "
                     "points at the mean over the N rows, a single entry at the target class")
    yield Check("a single row (N = 1)", args=(np.array([[2.0, 1.0, -1.0]]), np.array([1])),
                reference=_grad,
                hint="one row, three classes: only the target class's entry is treated "
                     "differently from the others")
    yield Check("equal logits: p is uniform", args=(inputs.ties((3, 4), 5.0), np.array([0, 3, 3])),
                reference=_grad)
    yield Check("large logits (|z| up to 1e4)",
                args=(inputs.large(rng, (3, 4), 1e4), inputs.labels(rng, 3, 4)),
                reference=_grad, points=2,
                hint="exp(1e4) is inf and inf/inf is nan: the softmax must not exponentiate "
                     "such logits as they are")
    yield Check("larger batch N=50, C=10",
                args=(inputs.normal(rng, (50, 10), 3.0), inputs.labels(rng, 50, 10)),
                reference=_grad, hidden=True)
