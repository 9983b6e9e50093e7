"""Checks for precision/dynamic_loss_scaling: torch.amp's unscale and update-scale kernels."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_precision as K

F16 = np.float16


def _check(name, grads, scale, tracker, interval=None, **kw):
    kwargs = {} if interval is None else {"growth_interval": interval}
    return Check(name, args=(grads, scale, tracker), kwargs=kwargs, reference=K.scaler_step, **kw)


def checks(rng):
    yield _check("finite gradients: unscale and count the good step",
                 inputs.normal(rng, (3, 4), 100.0, F16), 1024.0, 5, points=2,
                 hint="divide by the scale in float32 and add 1 to the tracker")
    yield _check("unscale in float32: small gradients must not underflow",
                 np.array([1e-3, -2e-3, 5e-4, 65504.0], F16), 65536.0, 0,
                 hint="grads.astype(np.float32) / scale: dividing in float16 flushes values below "
                      "6e-8 to zero")
    yield _check("the growth_interval-th good step doubles the scale",
                 inputs.normal(rng, 5, 1.0, F16), 32768.0, 1999, points=2,
                 hint="when tracker + 1 reaches growth_interval: scale × 2 and tracker back to 0")
    yield _check("an inf halves the scale and resets the tracker",
                 np.array([1.0, np.inf, -3.0, 2.5], F16), 65536.0, 1234, points=2,
                 hint="on overflow: scale / 2 and tracker = 0, and found_inf is True")
    yield _check("a nan counts as overflow too", np.array([[0.5, np.nan], [1.0, 2.0]], F16),
                 8192.0, 17,
                 hint="use np.isfinite, which is False for nan as well as ±inf")
    yield _check("−inf with a growth_interval of 3", np.array([-np.inf, 1.0], F16), 4.0, 2, 3)
    yield _check("growth_interval = 3: the third good step doubles",
                 inputs.normal(rng, 4, 10.0, F16), 4.0, 2, 3,
                 hint="compare tracker + 1 with the growth_interval argument, not with 2000")
    yield _check("an ordinary step in the middle of an interval", inputs.normal(rng, (2, 2, 3),
                                                                                 5.0, F16),
                 2.0**20, 700, 1000, hidden=True)
