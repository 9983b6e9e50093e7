"""Checks for losses/mse_and_grad: F.mse_loss and its autograd gradient are the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_losses as B


def checks(rng):
    yield Check("vector of 4", reference=B.mse_and_grad,
                args=(np.array([1.0, 2.0, 3.0, 4.0]), np.array([1.5, 2.0, 2.0, 5.0])),
                hint="the first line says whether the loss (output[0]) or the gradient "
                     "(output[1]) is off")
    yield Check("matrix (5, 3): the mean is over all 15 elements", reference=B.mse_and_grad,
                args=(inputs.normal(rng, (5, 3)), inputs.normal(rng, (5, 3))),
                hint="a (5, 3) matrix: the mean is over all 15 elements, not over the 5 rows")
    yield Check("perfect prediction: loss 0, gradient 0", reference=B.mse_and_grad,
                args=(np.array([0.5, -1.0, 2.0]), np.array([0.5, -1.0, 2.0])))
    yield Check("large values (about 1e3)", reference=B.mse_and_grad,
                args=(inputs.normal(rng, 6, 1e3), inputs.normal(rng, 6, 1e3)))
    yield Check("3-D input (2, 3, 4)", reference=B.mse_and_grad, hidden=True,
                args=(inputs.normal(rng, (2, 3, 4)), inputs.normal(rng, (2, 3, 4))))
