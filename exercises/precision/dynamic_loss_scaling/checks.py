"""Checks for precision/dynamic_loss_scaling: torch.amp's unscale and update-scale kernels.

The unscaled gradients are compared in ULPs of float32, not with an absolute tolerance: the
gradients that loss scaling protects are ~1e-8, far below any atol that suits the others.
"""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_precision as K

F16 = np.float16
MAX_ULPS = 1
"""Dividing by a power of two is exact in float32: one ULP leaves room for nothing else."""


def _in_float16(grads, scale, tracker, growth_interval=2000):
    """The unscaled gradients when the division is done in float16 (then widened)."""
    with np.errstate(all="ignore"):
        return ((grads * np.float16(1.0 / scale)).astype(np.float32),)


def _scale_overflowed(grads, scale, tracker, growth_interval=2000):
    """Dividing by float16(scale): a scale above 65504 is inf in float16."""
    with np.errstate(all="ignore"):
        return ((grads / np.float16(scale)).astype(np.float32),)


MISTAKES = {
    "the division was done in float16 and widened afterwards: results below float16's normal "
    "range (6.1e-5) lost their low bits and those below 3e-8 became 0 — exactly what loss "
    "scaling exists to prevent": _in_float16,
    f"the scale was turned into float16, where {65536.0:g} and above overflow to inf, so every "
    "gradient was divided by inf": _scale_overflowed,
}


def _check(name, grads, scale, tracker, interval=None, **kw):
    kwargs = {} if interval is None else {"growth_interval": interval}
    return Check(name, args=(grads, scale, tracker), kwargs=kwargs, reference=K.scaler_step,
                 ulps=MAX_ULPS, mistakes=MISTAKES, **kw)


def checks(rng):
    yield _check("finite gradients: unscale and count the good step",
                 inputs.normal(rng, (3, 4), 100.0, F16), 1024.0, 5, points=2,
                 hint="no overflow here: the step counts as good, and every gradient is "
                      "divided by the scale")
    yield _check("unscale in float32: small gradients must not underflow",
                 np.array([1e-3, -2e-3, 5e-4, 65504.0], F16), 65536.0, 0,
                 hint="once divided by 65536 these gradients are about 1e-8, below float16's "
                      "smallest subnormal: only a division done in float32 keeps them")
    yield _check("tiny gradients of scaled-up size 2^-14 and below",
                 np.array([2.0**-14, -(2.0**-20), 2.0**-24, 3.0 * 2.0**-24], F16), 2.0**12, 3,
                 hint="these results are far below float16's range: divide in float32")
    yield _check("the growth_interval-th good step doubles the scale",
                 inputs.normal(rng, 5, 1.0, F16), 32768.0, 1999, points=2,
                 hint="this is good step number growth_interval (2000) since the last change")
    yield _check("an inf halves the scale and resets the tracker",
                 np.array([1.0, np.inf, -3.0, 2.5], F16), 65536.0, 1234, points=2,
                 hint="an inf among the gradients means this step overflowed: the prompt's "
                      "first rule applies to found_inf, the scale and the tracker")
    yield _check("a nan counts as overflow too", np.array([[0.5, np.nan], [1.0, 2.0]], F16),
                 8192.0, 17,
                 hint="a nan gradient is an overflow as much as an inf is")
    yield _check("−inf with a growth_interval of 3", np.array([-np.inf, 1.0], F16), 4.0, 2, 3)
    yield _check("growth_interval = 3: the third good step doubles",
                 inputs.normal(rng, 4, 10.0, F16), 4.0, 2, 3,
                 hint="growth_interval is an argument here (3), not the default 2000")
    yield _check("an ordinary step in the middle of an interval", inputs.normal(rng, (2, 2, 3),
                                                                                 5.0, F16),
                 2.0**20, 700, 1000, hidden=True)
