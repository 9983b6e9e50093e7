"""Checks for optimization/rmsprop_step: torch.optim.RMSprop is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import optim as K

AVG_HINT = ("the first line names the output that is off (the parameters or the running "
            "average); the step uses the average already updated with this gradient")


def checks(rng):
    yield Check("first step from s = 0",
                args=(np.array([1.0, -2.0, 0.5]), np.array([0.5, 1.0, -4.0]), np.zeros(3)),
                reference=K.rmsprop_step, hint=AVG_HINT)
    yield Check("a step with an existing average",
                args=(inputs.normal(rng, 5), inputs.normal(rng, 5),
                      inputs.uniform(rng, 5, 0.5, 2.0)),
                reference=K.rmsprop_step, points=2, hint=AVG_HINT)
    yield Check("small gradients with eps = 1e-3 (where eps goes matters)",
                args=(inputs.normal(rng, 4), inputs.normal(rng, 4, 1e-3),
                      inputs.uniform(rng, 4, 0.5, 2.0) * 1e-6),
                kwargs={"eps": 1e-3}, reference=K.rmsprop_step, points=2,
                hint="with small gradients and a large eps, where eps enters the denominator "
                     "(inside or outside the square root) changes the step")
    yield Check("non-default lr and alpha, 2-D",
                args=(inputs.normal(rng, (3, 4)), inputs.normal(rng, (3, 4)),
                      inputs.uniform(rng, (3, 4), 0.1, 1.0)),
                kwargs={"lr": 0.001, "alpha": 0.9}, reference=K.rmsprop_step,
                hint="use the lr and alpha arguments")
    yield Check("zero gradient leaves the parameters in place",
                args=(inputs.normal(rng, 4), np.zeros(4), inputs.uniform(rng, 4, 0.1, 1.0)),
                reference=K.rmsprop_step)
    yield Check("3-D, large gradients", args=(inputs.normal(rng, (2, 3, 2)),
                                              inputs.normal(rng, (2, 3, 2), 100.0),
                                              inputs.uniform(rng, (2, 3, 2), 1e3, 1e4)),
                reference=K.rmsprop_step, hidden=True)
