"""Checks for optimization/momentum_step: torch.optim.SGD with momentum is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_optimization as K

FORM_HINT = ("the first line names the output that is off; PyTorch's velocity has no "
             "(1 − momentum) factor and no lr inside it, and the step uses the new velocity")


def checks(rng):
    yield Check("first step from a zero velocity",
                args=(np.array([1.0, -2.0, 0.5]), np.array([0.5, 1.0, -4.0]), np.zeros(3), 0.1),
                reference=K.momentum_step,
                hint="from a zero velocity the first step must equal plain SGD")
    yield Check("a step with an existing velocity",
                args=(inputs.normal(rng, 5), inputs.normal(rng, 5), inputs.normal(rng, 5), 0.1),
                reference=K.momentum_step, points=2, hint=FORM_HINT)
    yield Check("momentum 0.5, 2-D parameters",
                args=(inputs.normal(rng, (3, 4)), inputs.normal(rng, (3, 4)),
                      inputs.normal(rng, (3, 4)), 0.01), kwargs={"momentum": 0.5},
                reference=K.momentum_step, hint="use the momentum argument, not a fixed 0.9")
    yield Check("zero gradient: the velocity keeps moving the parameters",
                args=(inputs.normal(rng, 4), np.zeros(4), inputs.normal(rng, 4), 0.1),
                reference=K.momentum_step, hint=FORM_HINT)
    yield Check("large lr and gradients, 3-D", args=(inputs.normal(rng, (2, 2, 3)),
                                                     inputs.normal(rng, (2, 2, 3), 100.0),
                                                     inputs.normal(rng, (2, 2, 3), 50.0), 0.3),
                kwargs={"momentum": 0.99}, reference=K.momentum_step, hidden=True)
