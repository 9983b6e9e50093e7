"""Checks for backprop/tanh_backward: torch autograd of torch.tanh is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import backprop as K


def _grad(x, dout):
    return K.activation_grad("tanh", x, dout)


def checks(rng):
    yield Check("vector of 6 values", args=(inputs.normal(rng, 6, 1.5), inputs.normal(rng, 6)),
                reference=_grad, points=2,
                hint="the layer is elementwise: each entry of dx depends on its own x and dout "
                     "only (chain rule)")
    yield Check("x = 0 (slope 1) and dout of ones", args=(np.zeros(3), np.ones(3)),
                reference=_grad)
    yield Check("float32 keeps float32",
                args=(inputs.normal(rng, (3, 4), 1.0, np.float32),
                      inputs.normal(rng, (3, 4), 1.0, np.float32)),
                reference=_grad)
    yield Check("large |x| (up to 1000): the slope is 0, not nan",
                args=(np.array([[-1000.0, 800.0, 3.0], [720.0, -750.5, -0.5]]),
                      inputs.normal(rng, (2, 3))),
                reference=_grad, points=2,
                hint="at x ≈ ±1000, e^x overflows and e^x/e^x is inf/inf = nan; the slope "
                     "there is 0 — compute tanh with a function that saturates instead")
    yield Check("3-D input", args=(inputs.normal(rng, (2, 3, 4)), inputs.normal(rng, (2, 3, 4))),
                reference=_grad, hidden=True)
