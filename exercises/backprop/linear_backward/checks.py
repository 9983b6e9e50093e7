"""Checks for backprop/linear_backward: torch autograd of X @ W + b is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import backprop as K


def _layer(rng, N, D, H, dtype=np.float64):
    return (inputs.normal(rng, (N, D), dtype=dtype), inputs.normal(rng, (D, H), dtype=dtype),
            inputs.normal(rng, H, dtype=dtype), inputs.normal(rng, (N, H), dtype=dtype))


def checks(rng):
    yield Check("batch N=4, D=3, H=5", args=_layer(rng, 4, 3, 5), reference=K.linear_backward,
                points=2,
                hint="dX = dY·Wᵀ (N, D), dW = Xᵀ·dY (D, H), db = dY summed over the batch (H,)")
    yield Check("square weights (D = H = 4): a transpose is not caught by the shape",
                args=_layer(rng, 3, 4, 4), reference=K.linear_backward,
                hint="with D = H, dY·W and dY·Wᵀ have the same shape but not the same values: "
                     "derive dX from Y_nh = Σ_d X_nd W_dh")
    yield Check("a single example (N = 1)", args=_layer(rng, 1, 3, 2), reference=K.linear_backward,
                hint="db sums over axis 0 (the batch) and has shape (H,), not (1, H) or a scalar")
    yield Check("float32 inputs keep float32", args=_layer(rng, 5, 2, 3, np.float32),
                reference=K.linear_backward)
    yield Check("larger layer N=64, D=20, H=10", args=_layer(rng, 64, 20, 10),
                reference=K.linear_backward, hidden=True)
