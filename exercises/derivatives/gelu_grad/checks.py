"""Checks for derivatives/gelu_grad: autograd of torch's tanh-approximated GELU."""

from __future__ import annotations

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_derivatives as K

FORMULA = "gelu'(x) = ½(1 + tanh u) + ½x(1 − tanh² u)·√(2/π)(1 + 3·0.044715·x²)"


def checks(rng: np.random.Generator):  # type: ignore[no-untyped-def]
    yield Check("vector from −4 to 4 (including 0 and the dip near −0.75)",
                args=(np.linspace(-4.0, 4.0, 17),), reference=K.gelu_tanh_grad, points=2,
                hint=FORMULA)
    yield Check("random matrix (4×5)", args=(inputs.normal(rng, (4, 5), 2.0),),
                reference=K.gelu_tanh_grad, hint=FORMULA)
    yield Check("float32 keeps its dtype", args=(inputs.normal(rng, (3, 4), 2.0, np.float32),),
                reference=K.gelu_tanh_grad, rtol=1e-5, atol=1e-5,
                hint="float32 in, float32 out: a float64 NumPy constant such as "
                     "np.sqrt(2 / np.pi) promotes float32 arrays — use math.sqrt(2 / math.pi), "
                     "a Python float")
    yield Check("large |x| up to 1e4", args=(inputs.large(rng, 8, 1e4),),
                reference=K.gelu_tanh_grad, points=2,
                hint="use np.tanh, which saturates to ±1; exp(2u) or cosh(u) overflow to "
                     "inf/inf = nan")
    yield Check("large |x| up to 100 in float32",
                args=(inputs.large(rng, (2, 3), 100.0, np.float32),),
                reference=K.gelu_tanh_grad, hidden=True, rtol=1e-5, atol=1e-5)
