"""Checks for backprop/logistic_regression_step: torch autograd of BCE-with-logits is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, Verdict, compare_outputs, inputs
from modl_tutor.kernels import backprop as K


def _case(rng, n, m, scale=1.0):
    w = inputs.normal(rng, (n, 1), 0.5)
    X = inputs.normal(rng, (n, m), scale)
    Y = inputs.binary(rng, (1, m))
    return w, X, Y


def _structure(got, expected, check):
    """Only the form of the result: (w_new (n, 1) array, b_new number, cost number)."""
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return Verdict.fail("return a tuple of three values (w_new, b_new, cost)")
    w_new, b_new, cost = got
    shape = expected[0].shape
    if not isinstance(w_new, np.ndarray) or w_new.shape != shape:
        found = w_new.shape if isinstance(w_new, np.ndarray) else type(w_new).__name__
        why = ""
        if isinstance(w_new, np.ndarray) and w_new.shape == (shape[0], shape[0]):
            why = (" — a (1, n) gradient was broadcast against w (n, 1): dw = (1/m)·X·dZᵀ "
                   "has shape (n, 1)")
        return Verdict.fail(f"w_new must be an array of shape {shape} like w, got {found}{why}")
    for name, value in (("b_new", b_new), ("cost", cost)):
        if isinstance(value, (tuple, list, dict, str)) or np.ndim(value) != 0:
            return Verdict.fail(f"{name} must be a single number (a float), got shape "
                                f"{np.shape(value)}")
    return Verdict.ok()


def _cost_only(got, expected, check):
    """The cost alone, so that this check isolates numerical stability."""
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return Verdict.fail("return a tuple of three values (w_new, b_new, cost)")
    return compare_outputs(got[2], expected[2], check, path="cost")


def checks(rng):
    w, X, Y = _case(rng, 3, 8)
    yield Check("returns (w_new of shape (n, 1), b_new float, cost float)",
                args=(w, 0.1, X, Y, 0.1), reference=K.logistic_regression_step,
                compare=_structure,
                hint="w_new keeps w's shape (n, 1); reduce db and the cost over all examples "
                     "to plain numbers (np.sum / np.mean, or float(...))")
    w, X, Y = _case(rng, 4, 12, 2.0)
    yield Check("batch n=4, m=12: values", args=(w, -0.3, X, Y, 0.05),
                reference=K.logistic_regression_step, points=2,
                hint="the first line names the value that is off (w_new, b_new or the cost); "
                     "the cost is the one before the update")
    _, X, Y = _case(rng, 3, 10)
    yield Check("w = 0, b = 0, lr = 1: the step is exactly −gradient",
                args=(np.zeros((3, 1)), 0.0, X, Y, 1.0), reference=K.logistic_regression_step,
                hint="from w = 0 and b = 0 with lr = 1, w_new and b_new are exactly minus the "
                     "gradients of the mean cost")
    w, X, Y = _case(rng, 2, 1)
    yield Check("a single example (m = 1)", args=(w, 0.5, X, Y, 0.1),
                reference=K.logistic_regression_step)  # shape slips: named by the report
    w = np.array([[2.0], [-1.0]])
    X = np.array([[400.0, -450.0, 10.0, -300.0], [-200.0, 250.0, 0.0, 100.0]])
    Y = np.array([[0.0, 1.0, 1.0, 1.0]])
    yield Check("large |z| (up to 1150): the cost stays finite", args=(w, 0.0, X, Y, 1e-3),
                reference=K.logistic_regression_step, compare=_cost_only, points=2,
                hint="σ(z) rounds to exactly 0 or 1 for |z| ≈ 1000, so log(σ(z)) or "
                     "log(1 − σ(z)) is log(0) = −inf: the cost must be computed from z without "
                     "going through σ(z)")
    w, X, Y = _case(rng, 6, 40, 1.5)
    yield Check("larger batch n=6, m=40", args=(w, 0.7, X, Y, 0.5),
                reference=K.logistic_regression_step, hidden=True)
