"""Checks for backprop/relu_backward: torch autograd of torch.relu is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import backprop as K


def _grad(x, dout):
    return K.activation_grad("relu", x, dout)


def checks(rng):
    yield Check("matrix (3, 4)", args=(inputs.normal(rng, (3, 4)), inputs.normal(rng, (3, 4))),
                reference=_grad, points=2,
                hint="the result is dout where x > 0 and 0 elsewhere — the upstream gradient "
                     "is passed through, not replaced by 1")
    yield Check("x exactly 0 gets slope 0", args=(np.array([-1.0, 0.0, -0.0, 2.0, 0.0]),
                                                  np.array([3.0, 5.0, 7.0, 11.0, -2.0])),
                reference=_grad,
                hint="ReLU'(0) is taken as 0 (as in PyTorch): use x > 0, not x >= 0")
    yield Check("float32 keeps float32",
                args=(inputs.normal(rng, 8, 1.0, np.float32), inputs.normal(rng, 8, 1.0, np.float32)),
                reference=_grad,
                hint="multiply by a boolean mask (or use np.where with dout); a float64 "
                     "constant array changes the dtype")
    yield Check("3-D input", args=(inputs.normal(rng, (2, 3, 4)), inputs.normal(rng, (2, 3, 4))),
                reference=_grad, hidden=True)
