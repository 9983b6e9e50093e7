"""Checks for backprop/batchnorm_backward: torch autograd of F.batch_norm (training mode)."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_backprop as K


def _case(rng, N, D, loc=0.0, scale=1.0):
    x = loc + inputs.normal(rng, (N, D), scale)
    return x, 1.0 + inputs.normal(rng, D, 0.3), inputs.normal(rng, (N, D))


def checks(rng):
    yield Check("batch N=8, D=4", args=_case(rng, 8, 4), reference=K.batchnorm_backward,
                points=3,
                hint="the first line names the gradient that is off. dbeta and dgamma collect "
                     "every row of the batch; dx must also follow the paths through μ and σ², "
                     "which depend on every x_i")
    yield Check("N = 2 examples", args=_case(rng, 2, 3), reference=K.batchnorm_backward,
                hint="with N = 2 every x_i weighs heavily on μ and σ²; the variance is the "
                     "biased one (÷N), as in the forward pass in training mode")
    yield Check("eps = 0.1 is passed in", args=_case(rng, 6, 3, scale=0.2),
                kwargs={"eps": 0.1}, reference=K.batchnorm_backward,
                hint="eps = 0.1 is passed in here and is large enough to matter: use the "
                     "argument, not a fixed 1e-5")
    x, gamma, dout = _case(rng, 5, 3)
    x[:, 1] = 2.5  # a constant feature: σ² = 0, only eps keeps σ > 0
    yield Check("a constant feature (variance 0)", args=(x, gamma, dout),
                reference=K.batchnorm_backward)
    yield Check("features with mean 1000", args=_case(rng, 10, 3, loc=1000.0),
                reference=K.batchnorm_backward)
    yield Check("larger batch N=64, D=8", args=_case(rng, 64, 8, loc=-3.0, scale=4.0),
                reference=K.batchnorm_backward, hidden=True)
