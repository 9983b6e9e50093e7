"""Checks for derivatives/activation_grads: torch.autograd derivatives of the activations."""

from __future__ import annotations

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_derivatives as K

STABLE = ("for large |x| (either sign) one of e^x and e^−x overflows to inf, and inf/inf is "
          "nan: compute σ(x) so that exp() only ever sees −|x|")
F32_ATOL = 1e-6
"""1 − t² and s(1 − s) lose absolute accuracy ~1e-7 to cancellation in float32."""
DTYPE = "keep the input's dtype: a float32 x gives a float32 result"


def checks(rng: np.random.Generator):  # type: ignore[no-untyped-def]
    yield Check("sigmoid_grad: vector", args=(np.linspace(-4.0, 4.0, 9),),
                reference=K.sigmoid_grad, function="sigmoid_grad")
    yield Check("sigmoid_grad: float32 matrix keeps its dtype",
                args=(inputs.normal(rng, (3, 4), 3.0, np.float32),),
                reference=K.sigmoid_grad, function="sigmoid_grad", atol=F32_ATOL, hint=DTYPE)
    yield Check("sigmoid_grad: large |x| up to 1000 (float64)",
                args=(np.concatenate([inputs.large(rng, 4, 1000.0), [-1000.0, 1000.0, -40.0]]),),
                reference=K.sigmoid_grad, function="sigmoid_grad", points=2, hint=STABLE)
    yield Check("sigmoid_grad: large |x| up to 100 (float32)",
                args=(inputs.large(rng, (2, 3), 100.0, np.float32),),
                reference=K.sigmoid_grad, function="sigmoid_grad", atol=F32_ATOL, hint=STABLE)
    yield Check("sigmoid_grad: ±inf give 0, nan stays nan",
                args=(np.array([np.inf, -np.inf, np.nan, 0.0]),),
                reference=K.sigmoid_grad, function="sigmoid_grad", hidden=True, hint=STABLE)

    yield Check("tanh_grad: vector", args=(np.linspace(-3.0, 3.0, 7),),
                reference=K.tanh_grad, function="tanh_grad")
    yield Check("tanh_grad: float32 3-D input keeps its dtype",
                args=(inputs.normal(rng, (2, 3, 2), 2.0, np.float32),),
                reference=K.tanh_grad, function="tanh_grad", atol=F32_ATOL, hint=DTYPE)
    yield Check("tanh_grad: large |x| up to 1e4",
                args=(inputs.large(rng, 6, 1e4),), reference=K.tanh_grad, function="tanh_grad",
                hint="at |x| up to 1e4, cosh(x) and exp(2x) overflow to inf (inf/inf is nan); "
                     "the slope there is 0 — compute it from a tanh that saturates")

    yield Check("relu_grad: vector", args=(np.array([-2.0, -0.5, 0.5, 3.0]),),
                reference=K.relu_grad, function="relu_grad")
    yield Check("relu_grad: 0 at x = 0 (and at -0.0)",
                args=(np.array([-1.0, 0.0, -0.0, 1.0, 0.0]),), reference=K.relu_grad,
                function="relu_grad",
                hint="relu is not differentiable at 0; PyTorch (and this exercise) takes the "
                     "slope there as 0, at −0.0 too")
    yield Check("relu_grad: float32 matrix, float result of the same dtype",
                args=(inputs.normal(rng, (4, 3), 1.0, np.float32),), reference=K.relu_grad,
                function="relu_grad",
                hint="the result must be a float array of x's dtype (a comparison gives a "
                     "boolean array)")
