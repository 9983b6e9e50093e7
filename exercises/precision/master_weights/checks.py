"""Checks for precision/master_weights: SGD on a float32 master copy, in torch."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_precision as K

F16 = np.float16
SWAMP_HINT = ("update the float32 master copy, not the float16 weights: in float16, w − lr·g "
              "rounds back to w when lr·g is below half the spacing around w")


def checks(rng):
    yield Check("one step", args=(np.array([1.0, -2.0, 0.5], F16),
                                  np.array([[0.5, 1.0, -4.0]], F16), 0.1),
                reference=K.mixed_precision_sgd,
                hint="master = w0.astype(np.float32) − lr · grads[0].astype(np.float32)")
    yield Check("100 tiny updates on w = 1 (swamping)", args=(np.ones(4, F16),
                                                              np.ones((100, 4), F16), 1e-4),
                reference=K.mixed_precision_sgd, points=2, hint=SWAMP_HINT)
    yield Check("weights near 1000, 50 steps", args=(inputs.uniform(rng, 6, 900.0, 1100.0, F16),
                                                     inputs.normal(rng, (50, 6), 1.0, F16), 0.01),
                reference=K.mixed_precision_sgd, points=2, hint=SWAMP_HINT)
    yield Check("random 2-D weights, 30 steps", args=(inputs.normal(rng, (3, 4), 1.0, F16),
                                                      inputs.normal(rng, (30, 3, 4), 0.5, F16),
                                                      0.05),
                reference=K.mixed_precision_sgd,
                hint="return (master float32, master.astype(np.float16))")
    yield Check("zero steps return the widened weights", args=(np.array([0.1, 7.0], F16),
                                                               np.zeros((0, 2), F16), 0.1),
                reference=K.mixed_precision_sgd)
    yield Check("small gradients, 200 steps", args=(inputs.normal(rng, 8, 4.0, F16),
                                                    inputs.normal(rng, (200, 8), 1e-2, F16),
                                                    1e-2),
                reference=K.mixed_precision_sgd, hidden=True, hint=SWAMP_HINT)
