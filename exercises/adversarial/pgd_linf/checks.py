"""Checks for adversarial/pgd_linf: a torch loop of autograd, sign, and two clamps."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_adversarial as K


def _no_projection(x, y, W, b, eps, alpha, steps, lo=0.0, hi=1.0):
    return K.pgd_linear(x, y, W, b, np.inf, alpha, steps, lo, hi)


def _no_range_clip(x, y, W, b, eps, alpha, steps, lo=0.0, hi=1.0):
    return K.pgd_linear(x, y, W, b, eps, alpha, steps, -np.inf, np.inf)


def _descent(x, y, W, b, eps, alpha, steps, lo=0.0, hi=1.0):
    return K.pgd_linear(x, y, W, b, eps, -alpha, steps, lo, hi)


MISTAKES = {
    "the iterates left the ε-ball: after each step clip to [x0 − ε, x0 + ε] around the "
    "original input": _no_projection,
    "the result left the valid range: clip to [lo, hi] after the projection": _no_range_clip,
    "the steps went down the loss: an attack climbs it, x + α·sign(∇x L)": _descent,
}


def _case(rng, N, D, C, low=0.2, high=0.8):
    return (inputs.uniform(rng, (N, D), low, high), inputs.labels(rng, N, C),
            inputs.normal(rng, (D, C)), inputs.normal(rng, C, 0.1))


def checks(rng):
    yield Check("one step is FGSM with step alpha", args=(*_case(rng, 3, 4, 3), 0.1, 0.05, 1),
                reference=K.pgd_linear, mistakes=MISTAKES,
                hint="one step: x0 + α·sign((softmax(S) − Y)·Wᵀ), then the two clips")
    yield Check("10 steps, eps = 0.1, alpha = 0.03: the ε-ball binds",
                args=(*_case(rng, 4, 5, 3), 0.1, 0.03, 10), reference=K.pgd_linear, points=2,
                mistakes=MISTAKES,
                hint="project onto [x0 − ε, x0 + ε] around the original x0 after every step")
    yield Check("the gradient's sign flips on the way (project every step)",
                args=(np.array([[0.5, 0.5], [0.4, 0.6]]), np.array([0, 0]),
                      np.array([[0.0, 1.0, 5.0], [0.0, 1.0, -1.0]]), np.array([0.0, 1.35, 0.0]),
                      0.3, 0.1, 8),
                reference=K.pgd_linear, points=2, mistakes=MISTAKES,
                hint="recompute the gradient at the current, projected point every step: once "
                     "a coordinate sits on the ε-ball's edge, the others may have to turn round")
    yield Check("alpha > eps: projected after the first step",
                args=(*_case(rng, 3, 3, 4), 0.05, 0.2, 3), reference=K.pgd_linear,
                mistakes=MISTAKES)
    yield Check("inputs near the edges of [0, 1]",
                args=(*_case(rng, 4, 4, 3, 0.0, 1.0), 0.2, 0.1, 5), reference=K.pgd_linear,
                points=2, mistakes=MISTAKES,
                hint="after the projection, clip to [lo, hi]: the ε-ball may stick out of it")
    yield Check("steps = 0 returns x", args=(*_case(rng, 2, 3, 3), 0.1, 0.05, 0),
                reference=K.pgd_linear)
    x, y, W, b = _case(rng, 3, 4, 3)
    yield Check("range [-1, 1]", args=(2 * x - 1, y, W, b, 0.3, 0.1, 6),
                kwargs={"lo": -1.0, "hi": 1.0}, reference=K.pgd_linear, mistakes=MISTAKES)
    yield Check("larger batch, 20 steps", args=(*_case(rng, 16, 8, 5, 0.0, 1.0), 0.08, 0.01, 20),
                reference=K.pgd_linear, hidden=True, mistakes=MISTAKES)
