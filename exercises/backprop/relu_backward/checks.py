"""Checks for backprop/relu_backward: torch autograd of torch.relu is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import backprop as K


def _grad(x, dout):
    return K.activation_grad("relu", x, dout)


MISTAKES = {
    "your output is the local slope alone (1 where x > 0): the chain rule multiplies it by the "
    "upstream gradient dout": lambda x, dout: (x > 0).astype(x.dtype),
    "the entries where x is exactly 0 got slope 1: ReLU's slope at 0 is taken as 0 (as in "
    "PyTorch)": lambda x, dout: dout * (x >= 0),
}


def checks(rng):
    yield Check("matrix (3, 4)", args=(inputs.normal(rng, (3, 4)), inputs.normal(rng, (3, 4))),
                reference=_grad, mistakes=MISTAKES, points=2,
                hint="the layer is elementwise: each entry of dx depends on its own x and dout "
                     "only (chain rule)")
    yield Check("x exactly 0 gets slope 0", args=(np.array([-1.0, 0.0, -0.0, 2.0, 0.0]),
                                                  np.array([3.0, 5.0, 7.0, 11.0, -2.0])),
                reference=_grad, mistakes=MISTAKES,
                hint="three entries of x are exactly 0 (one of them −0.0), where ReLU's slope "
                     "is taken as 0 (as in PyTorch)")
    yield Check("float32 keeps float32",
                args=(inputs.normal(rng, 8, 1.0, np.float32), inputs.normal(rng, 8, 1.0, np.float32)),
                reference=_grad, mistakes=MISTAKES,
                hint="float32 in, float32 out: a float64 array (np.ones, np.array without "
                     "dtype) in the computation upcasts the result")
    yield Check("3-D input", args=(inputs.normal(rng, (2, 3, 4)), inputs.normal(rng, (2, 3, 4))),
                reference=_grad, mistakes=MISTAKES, hidden=True)
