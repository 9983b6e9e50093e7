"""Checks for explainability/integrated_gradients_code: torch autograd along the path."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_explainability as K


def _rule(rule):
    return lambda *args: K.integrated_gradients(*args, rule=rule)


def _mean_gradient(x, baseline, *rest):
    return K.integrated_gradients(x, baseline, *rest) / np.where(x == baseline, 1, x - baseline)


def _times_x(x, baseline, *rest):
    return _mean_gradient(x, baseline, *rest) * x


def _at_input(x, baseline, W1, b1, W2, b2, target, steps):
    return K.integrated_gradients(x, baseline, W1, b1, W2, b2, target, 1, rule="right")


MISTAKES = {
    "these are left Riemann points α = j/steps; use the midpoints (j + ½)/steps": _rule("left"),
    "these are right Riemann points α = (j + 1)/steps; use the midpoints (j + ½)/steps":
        _rule("right"),
    "this is the average gradient along the path: multiply it by x − baseline": _mean_gradient,
    "the average gradient was multiplied by x; multiply by x − baseline": _times_x,
    "this is the gradient at x times (x − baseline): average the gradient over the whole path":
        _at_input,
}


def _net(rng, D, H, C, dtype=np.float64):
    return (inputs.normal(rng, (D, H), dtype=dtype), inputs.normal(rng, H, 0.5, dtype),
            inputs.normal(rng, (H, C), dtype=dtype), inputs.normal(rng, C, dtype=dtype))


def _score(x, W1, b1, W2, b2, target):
    """f(x), the network's score of class `target`, in NumPy (a tolerance check: the judge
    needs no torch for it)."""
    return float((np.maximum(x @ W1 + b1, 0.0) @ W2 + b2)[int(target)])


def _complete(got, check):
    x, baseline, W1, b1, W2, b2, target, _ = check.args
    gap = _score(x, W1, b1, W2, b2, target) - _score(baseline, W1, b1, W2, b2, target)
    total = float(np.sum(got))
    if abs(total - gap) > 2e-3 * max(1.0, abs(gap)):
        return (f"completeness fails: your attributions add up to {total:.6g}, but "
                f"f(x) − f(baseline) = {gap:.6g}")
    return None


def checks(rng):
    yield Check("zero baseline, 8 steps",
                args=(inputs.normal(rng, 3), np.zeros(3), *_net(rng, 3, 5, 2), 1, 8),
                reference=K.integrated_gradients, points=2, mistakes=MISTAKES,
                hint="average the gradient at the midpoints (j + ½)/steps of the path, then "
                     "multiply by x − baseline")
    yield Check("a non-zero baseline",
                args=(inputs.normal(rng, 4), inputs.normal(rng, 4, 0.5), *_net(rng, 4, 6, 3), 2,
                      10),
                reference=K.integrated_gradients, mistakes=MISTAKES,
                hint="the path starts at the baseline: points = baseline + α (x − baseline)")
    yield Check("one step: the gradient at the middle of the path",
                args=(inputs.normal(rng, 3), np.zeros(3), *_net(rng, 3, 4, 2), 0, 1),
                reference=K.integrated_gradients, mistakes=MISTAKES)
    yield Check("baseline equal to the input: all attributions are 0",
                args=(np.full(3, 0.7), np.full(3, 0.7), *_net(rng, 3, 4, 2), 1, 5),
                reference=K.integrated_gradients, mistakes=MISTAKES)
    yield Check("completeness with 20000 steps",
                args=(inputs.normal(rng, 5), inputs.normal(rng, 5, 0.3), *_net(rng, 5, 8, 3), 2,
                      20000),
                reference=K.integrated_gradients, validate=_complete, points=2, mistakes=MISTAKES,
                hint="with many steps the attributions must add up to f(x) − f(baseline)")
    yield Check("float32 keeps float32",
                args=(inputs.normal(rng, 4, dtype=np.float32), np.zeros(4, np.float32),
                      *_net(rng, 4, 5, 2, np.float32), 1, 16),
                reference=K.integrated_gradients, mistakes=MISTAKES)
    yield Check("wider network, 50 steps",
                args=(inputs.normal(rng, 10), inputs.normal(rng, 10, 0.2), *_net(rng, 10, 32, 4),
                      3, 50),
                reference=K.integrated_gradients, hidden=True, mistakes=MISTAKES)
