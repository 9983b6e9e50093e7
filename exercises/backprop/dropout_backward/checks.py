"""Checks for backprop/dropout_backward: torch autograd of x * mask / (1 - p) is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_backprop as K


def _mask(rng, shape, p):
    return rng.random(shape) >= p


def checks(rng):
    yield Check("p = 0.5 on a (4, 5) batch",
                args=(inputs.normal(rng, (4, 5)), _mask(rng, (4, 5), 0.5), 0.5),
                reference=K.dropout_backward, points=2,
                hint="compare the kept and the dropped entries separately: the forward pass "
                     "scaled the kept activations, and their gradients carry the same scale")
    yield Check("p = 0.2, float32 keeps float32",
                args=(inputs.normal(rng, (3, 6), 1.0, np.float32), _mask(rng, (3, 6), 0.2), 0.2),
                reference=K.dropout_backward)
    yield Check("p = 0: nothing is dropped", args=(inputs.normal(rng, 7), np.ones(7, bool), 0.0),
                reference=K.dropout_backward,
                hint="with p = 0 nothing is dropped or rescaled: the layer is the identity")
    yield Check("everything dropped in one row",
                args=(inputs.normal(rng, (2, 4)), np.array([[False] * 4, [True, False, True, True]]),
                      0.25),
                reference=K.dropout_backward,
                hint="a dropped unit took no part in the output: its gradient is 0")
    yield Check("3-D input, p = 0.9",
                args=(inputs.normal(rng, (2, 3, 4)), _mask(rng, (2, 3, 4), 0.9), 0.9),
                reference=K.dropout_backward, hidden=True)
