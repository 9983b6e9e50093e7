"""Checks for derivatives/gelu_grad: autograd of torch's tanh-approximated GELU."""

from __future__ import annotations

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_derivatives as K

FORMULA = ("gelu is a product of ½x and (1 + tanh u), and u itself depends on x: both the "
           "product rule and the chain rule through u are needed (modl hint gives the pieces)")


def checks(rng: np.random.Generator):  # type: ignore[no-untyped-def]
    yield Check("vector from −4 to 4 (including 0 and the dip near −0.75)",
                args=(np.linspace(-4.0, 4.0, 17),), reference=K.gelu_tanh_grad, points=2,
                hint=FORMULA)
    yield Check("random matrix (4×5)", args=(inputs.normal(rng, (4, 5), 2.0),),
                reference=K.gelu_tanh_grad, hint=FORMULA)
    yield Check("float32 keeps its dtype", args=(inputs.normal(rng, (3, 4), 2.0, np.float32),),
                reference=K.gelu_tanh_grad, rtol=1e-5, atol=1e-5,
                hint="float32 in, float32 out: a float64 NumPy constant (np.sqrt(…) and np.pi "
                     "give NumPy float64 scalars) promotes float32 arrays")
    yield Check("large |x| up to 1e4", args=(inputs.large(rng, 8, 1e4),),
                reference=K.gelu_tanh_grad, points=2,
                hint="at |x| up to 1e4, exp(2u) and cosh(u) overflow to inf and inf/inf is "
                     "nan: tanh must saturate to ±1 instead")
    yield Check("large |x| up to 100 in float32",
                args=(inputs.large(rng, (2, 3), 100.0, np.float32),),
                reference=K.gelu_tanh_grad, hidden=True, rtol=1e-5, atol=1e-5)
