"""Checks for optimization/adam_step: torch.optim.Adam (no weight decay) is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import optim as K

BIAS_HINT = ("the first line names the output that is off; early steps (small t) are where the "
             "bias corrections of m and v matter most, and t is 1-based")


def _state(rng, shape, scale=1.0):
    """A plausible (m, v) pair after some steps: m ~ gradients, v ~ squared gradients."""
    m = inputs.normal(rng, shape, 0.1 * scale)
    v = inputs.uniform(rng, shape, 0.5, 1.5) * (0.1 * scale) ** 2
    return m, v


def checks(rng):
    zeros = np.zeros(4)
    yield Check("first step (t = 1) from zero moments",
                args=(inputs.normal(rng, 4), inputs.normal(rng, 4), zeros, zeros, 1),
                reference=K.adam_step, points=2, hint=BIAS_HINT)
    m, v = _state(rng, (3, 4))
    yield Check("step t = 10, 2-D parameters",
                args=(inputs.normal(rng, (3, 4)), inputs.normal(rng, (3, 4), 0.1), m, v, 10),
                reference=K.adam_step, hint=BIAS_HINT)
    m, v = _state(rng, 6)
    yield Check("step t = 1000 (beta2**t is still 0.37)",
                args=(inputs.normal(rng, 6), inputs.normal(rng, 6, 0.1), m, v, 1000),
                reference=K.adam_step,
                hint="even at t = 1000, beta2**t is still 0.37, so the second moment's bias "
                     "correction still matters")
    m, v = _state(rng, 5)
    yield Check("zero gradient: the moments decay, the parameters still move",
                args=(inputs.normal(rng, 5), np.zeros(5), m, v, 7), reference=K.adam_step,
                hint="with a zero gradient the moments only decay, and the step is taken with "
                     "the decayed moments")
    m, v = _state(rng, 5, 1e-4)
    yield Check("tiny gradients with eps = 1e-4 (where eps goes matters)",
                args=(inputs.normal(rng, 5), inputs.normal(rng, 5, 1e-4), m, v, 3),
                kwargs={"eps": 1e-4}, reference=K.adam_step, points=2,
                hint="with tiny gradients and a large eps, where eps enters the denominator "
                     "(inside or outside the square root) changes the step")
    m, v = _state(rng, (2, 3))
    yield Check("non-default lr, beta1, beta2",
                args=(inputs.normal(rng, (2, 3)), inputs.normal(rng, (2, 3)), m, v, 4),
                kwargs={"lr": 0.05, "beta1": 0.8, "beta2": 0.95}, reference=K.adam_step,
                hint="lr, beta1 and beta2 are not the defaults here: every use of them must "
                     "take the arguments, the bias corrections included")
    m, v = _state(rng, (2, 2, 3), 10.0)
    yield Check("3-D parameters, large gradients, t = 2",
                args=(inputs.normal(rng, (2, 2, 3)), inputs.normal(rng, (2, 2, 3), 10.0), m, v, 2),
                reference=K.adam_step, hidden=True, hint=BIAS_HINT)
