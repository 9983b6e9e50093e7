"""Checks for explainability/input_saliency: torch autograd through the network is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_explainability as K

NO_MASK = ("this is the gradient of the network without its ReLU: multiply by the ReLU mask "
           "(pre-activation > 0) on the way down")
ABS = "a map of |gradient| drops the sign: return the signed gradient"
WRONG_METHOD = "gradient and gradient × input are swapped: check `method`"


def _net(rng, N, D, H, C, dtype=np.float64):
    return (inputs.normal(rng, (N, D), dtype=dtype), inputs.normal(rng, (D, H), dtype=dtype),
            inputs.normal(rng, H, 0.5, dtype), inputs.normal(rng, (H, C), dtype=dtype),
            inputs.normal(rng, C, dtype=dtype), inputs.labels(rng, N, C))


def _linear_path(X, W1, b1, W2, b2, target, method="gradient"):
    grad = W2[:, target].T @ W1.T
    return grad * X if method == "gradient_x_input" else grad


def _abs(*args, method="gradient"):
    return np.abs(K.input_gradient(*args, method=method))


def _swapped(*args, method="gradient"):
    other = "gradient" if method == "gradient_x_input" else "gradient_x_input"
    return K.input_gradient(*args, method=other)


MISTAKES = {NO_MASK: _linear_path, ABS: _abs, WRONG_METHOD: _swapped}


def _dead_unit():
    """Example 0 is all zeros and b1[0] = 0: unit 0 sits exactly at relu's kink."""
    X = np.array([[0.0, 0.0, 0.0], [1.0, -2.0, 0.5]])
    W1 = np.array([[1.0, -1.0], [0.5, 2.0], [-1.5, 1.0]])
    b1 = np.array([0.0, 1.0])
    W2 = np.array([[2.0, -1.0], [1.0, 3.0]])
    return X, W1, b1, W2, np.zeros(2), np.array([0, 1])


def checks(rng):
    yield Check("gradient, N=4, D=3, H=5, C=3", args=_net(rng, 4, 3, 5, 3),
                reference=K.input_gradient, points=2, mistakes=MISTAKES,
                hint="backpropagate from the target score: through W2's target column, the ReLU "
                     "mask, then W1ᵀ")
    yield Check("gradient × input", args=_net(rng, 5, 4, 6, 3),
                kwargs={"method": "gradient_x_input"}, reference=K.input_gradient,
                mistakes=MISTAKES, hint="multiply the gradient elementwise by X")
    yield Check("a different class for every example", args=_net(rng, 3, 4, 4, 3)[:5]
                + (np.array([2, 0, 1]),), reference=K.input_gradient, mistakes=MISTAKES,
                hint="use row n's own class target[n], not one class for the whole batch")
    yield Check("a unit exactly at the ReLU kink (relu'(0) = 0)", args=_dead_unit(),
                reference=K.input_gradient, mistakes=MISTAKES,
                hint="the ReLU mask is pre-activation > 0, strictly: at exactly 0 no gradient "
                     "flows, as in PyTorch")
    yield Check("float32 keeps float32", args=_net(rng, 4, 6, 5, 2, np.float32),
                kwargs={"method": "gradient_x_input"}, reference=K.input_gradient,
                mistakes=MISTAKES)
    yield Check("larger batch, N=32, D=10, H=16, C=5", args=_net(rng, 32, 10, 16, 5),
                reference=K.input_gradient, hidden=True, mistakes=MISTAKES)
