"""Checks for backprop/batchnorm_backward: torch autograd of F.batch_norm (training mode)."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_backprop as K


def _case(rng, N, D, loc=0.0, scale=1.0):
    x = loc + inputs.normal(rng, (N, D), scale)
    return x, 1.0 + inputs.normal(rng, D, 0.3), inputs.normal(rng, (N, D))


def _gradients(x, gamma, dout, eps, ddof=0, full=True):
    """Batch-norm gradients in NumPy for the known mistakes (ddof=1: unbiased variance;
    full=False: dx without the paths through the batch mean and variance)."""
    n = x.shape[0]
    mu = x.mean(axis=0)
    inv_std = 1.0 / np.sqrt(((x - mu) ** 2).sum(axis=0) / (n - ddof) + eps)
    xhat = (x - mu) * inv_std
    dxhat = dout * gamma
    dx = (inv_std / n) * (n * dxhat - dxhat.sum(axis=0) - xhat * (dxhat * xhat).sum(axis=0))
    return {"dx": dx if full else dxhat * inv_std, "dgamma": (dout * xhat).sum(axis=0),
            "dbeta": dout.sum(axis=0)}


MISTAKES = {
    "dx is dout·γ/σ alone: μ and σ² are computed from x, so every x_i also moves them, and "
    "those paths add to dx": lambda x, gamma, dout, eps=1e-5: _gradients(x, gamma, dout, eps,
                                                                         full=False),
    "the variance is the unbiased one (÷ N − 1): batch norm in training mode divides by N":
        lambda x, gamma, dout, eps=1e-5: _gradients(x, gamma, dout, eps, ddof=1),
    "eps was not taken from the argument (the default 1e-5 was used)":
        lambda x, gamma, dout, eps=1e-5: _gradients(x, gamma, dout, 1e-5),
}


def checks(rng):
    yield Check("batch N=8, D=4", args=_case(rng, 8, 4), reference=K.batchnorm_backward, mistakes=MISTAKES,
                points=3,
                hint="the first line names the gradient that is off, and which ones are right")
    yield Check("N = 2 examples", args=_case(rng, 2, 3), reference=K.batchnorm_backward, mistakes=MISTAKES,
                hint="with N = 2, every x_i weighs heavily on μ and σ²")
    yield Check("eps = 0.1 is passed in", args=_case(rng, 6, 3, scale=0.2),
                kwargs={"eps": 0.1}, reference=K.batchnorm_backward, mistakes=MISTAKES,
                hint="eps = 0.1 is passed in here, large enough to change every gradient")
    x, gamma, dout = _case(rng, 5, 3)
    x[:, 1] = 2.5  # a constant feature: σ² = 0, only eps keeps σ > 0
    yield Check("a constant feature (variance 0)", args=(x, gamma, dout),
                reference=K.batchnorm_backward, mistakes=MISTAKES)
    yield Check("features with mean 1000", args=_case(rng, 10, 3, loc=1000.0),
                reference=K.batchnorm_backward, mistakes=MISTAKES)
    yield Check("larger batch N=64, D=8", args=_case(rng, 64, 8, loc=-3.0, scale=4.0),
                reference=K.batchnorm_backward, mistakes=MISTAKES, hidden=True)
