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
                hint="dbeta = Σ dout and dgamma = Σ dout·x̂ over the batch. For dx, μ and σ² "
                     "depend on every x_i: dx = (1/(Nσ))·(N·dx̂ − Σdx̂ − x̂·Σ(dx̂·x̂)) with "
                     "dx̂ = dout·γ and σ = sqrt(σ² + eps)")
    yield Check("N = 2 examples", args=_case(rng, 2, 3), reference=K.batchnorm_backward,
                hint="the variance is the biased one (divide by N, not N − 1), as in the forward "
                     "pass of batch norm in training mode")
    yield Check("eps = 0.1 is passed in", args=_case(rng, 6, 3, scale=0.2),
                kwargs={"eps": 0.1}, reference=K.batchnorm_backward,
                hint="use the `eps` argument: σ = sqrt(σ² + eps)")
    x, gamma, dout = _case(rng, 5, 3)
    x[:, 1] = 2.5  # a constant feature: σ² = 0, only eps keeps σ > 0
    yield Check("a constant feature (variance 0)", args=(x, gamma, dout),
                reference=K.batchnorm_backward)
    yield Check("features with mean 1000", args=_case(rng, 10, 3, loc=1000.0),
                reference=K.batchnorm_backward)
    yield Check("larger batch N=64, D=8", args=_case(rng, 64, 8, loc=-3.0, scale=4.0),
                reference=K.batchnorm_backward, hidden=True)
