"""Checks for adversarial/input_gradient: autograd of the summed softmax cross-entropy."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_adversarial as K


def _mean(X, y, W, b):
    return K.input_gradient(X, y, W, b) / len(X)


def _no_target(X, y, W, b):
    S = X @ W + b
    P = np.exp(S - S.max(axis=1, keepdims=True))
    return (P / P.sum(axis=1, keepdims=True)) @ W.T


MISTAKES = {
    "that is the gradient of the mean loss: L is the sum over examples, so do not divide by N":
        _mean,
    "that is softmax(S)·Wᵀ: subtract the one-hot target first, dS = softmax(S) − Y":
        _no_target,
}


def _case(rng, N, D, C, scale=1.0):
    return (inputs.normal(rng, (N, D)), inputs.labels(rng, N, C),
            inputs.normal(rng, (D, C), scale), inputs.normal(rng, C, 0.1))


def checks(rng):
    yield Check("N=4 examples, D=3 features, C=5 classes", args=_case(rng, 4, 3, 5),
                reference=K.input_gradient, points=2, mistakes=MISTAKES,
                hint="dX = (softmax(S) − Y)·Wᵀ with Y one-hot")
    yield Check("a single example (N = 1)", args=_case(rng, 1, 4, 3),
                reference=K.input_gradient, mistakes=MISTAKES)
    yield Check("D = C = 4: the transpose is not caught by the shape", args=_case(rng, 3, 4, 4),
                reference=K.input_gradient, mistakes=MISTAKES,
                hint="S_nc = Σ_d X_nd·W_dc, so ∂L/∂X_nd = Σ_c dS_nc·W_dc: that is dS·Wᵀ")
    yield Check("two classes", args=_case(rng, 5, 3, 2), reference=K.input_gradient,
                mistakes=MISTAKES)
    yield Check("large logits (|S| up to 1e3)", args=_case(rng, 4, 3, 4, 300.0),
                reference=K.input_gradient, points=2,
                hint="subtract each row's max logit before np.exp: exp(1000) overflows")
    yield Check("larger batch N=32, D=10, C=7", args=_case(rng, 32, 10, 7),
                reference=K.input_gradient, hidden=True, mistakes=MISTAKES)
