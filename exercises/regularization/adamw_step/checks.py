"""Checks for regularization/adamw_step: torch.optim.AdamW is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_regularization as K

DECOUPLE_HINT = ("AdamW shrinks θ by (1 − lr·weight_decay) and leaves the gradient alone: "
                 "weight_decay·θ must not be added to g (that is Adam with L2, not AdamW)")


def _state(rng, shape, scale=1.0):
    """A plausible (m, v) pair after some steps: m ~ gradients, v ~ squared gradients."""
    m = inputs.normal(rng, shape, 0.1 * scale)
    v = inputs.uniform(rng, shape, 0.5, 1.5) * (0.1 * scale) ** 2
    return m, v


def checks(rng):
    zeros = np.zeros(4)
    yield Check("first step (t = 1), weight_decay = 0.1",
                args=(inputs.normal(rng, 4), inputs.normal(rng, 4), zeros, zeros, 1),
                kwargs={"lr": 0.01, "weight_decay": 0.1}, reference=K.adamw_step, points=2,
                hint=DECOUPLE_HINT)
    m, v = _state(rng, (3, 4))
    yield Check("step t = 10, 2-D parameters, default weight_decay",
                args=(inputs.normal(rng, (3, 4)), inputs.normal(rng, (3, 4), 0.1), m, v, 10),
                reference=K.adamw_step,
                hint="divide by the bias corrections 1 − beta1**t and 1 − beta2**t")
    yield Check("zero gradient and zero moments: only the decay acts",
                args=(inputs.normal(rng, 5, 3.0), np.zeros(5), np.zeros(5), np.zeros(5), 3),
                kwargs={"lr": 0.1, "weight_decay": 0.5}, reference=K.adamw_step, points=2,
                hint="with g = m = v = 0 the Adam part is 0, so θ_new = θ·(1 − lr·weight_decay) "
                     "exactly; " + DECOUPLE_HINT)
    m, v = _state(rng, 6)
    yield Check("large lr and weight decay: decay the old parameters",
                args=(inputs.normal(rng, 6), inputs.normal(rng, 6), m, v, 4),
                kwargs={"lr": 0.1, "weight_decay": 0.5}, reference=K.adamw_step,
                hint="θ_new = θ·(1 − lr·wd) − lr·m̂/(√v̂ + eps): the decay multiplies θ before "
                     "the Adam step, and it is scaled by lr")
    m, v = _state(rng, 5)
    yield Check("weight_decay = 0 is plain Adam",
                args=(inputs.normal(rng, 5), inputs.normal(rng, 5), m, v, 2),
                kwargs={"weight_decay": 0.0, "lr": 0.05, "beta1": 0.8, "beta2": 0.95},
                reference=K.adamw_step,
                hint="use the lr, beta1, beta2 arguments everywhere, bias corrections included")
    m, v = _state(rng, (2, 2, 3), 10.0)
    yield Check("3-D parameters, large gradients, t = 1000",
                args=(inputs.normal(rng, (2, 2, 3)), inputs.normal(rng, (2, 2, 3), 10.0), m, v,
                      1000),
                kwargs={"weight_decay": 0.05}, reference=K.adamw_step, hidden=True,
                hint=DECOUPLE_HINT)
