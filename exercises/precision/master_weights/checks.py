"""Checks for precision/master_weights: SGD on a float32 master copy, in torch.

Outputs are compared in ULPs: float32 arithmetic done as the prompt says reproduces torch's bits,
while a float64 master copy (rounded to float32 only at the end) drifts by several ULPs.
"""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_precision as K

F16 = np.float16
MAX_ULPS = 2
WHERE = ("the update w − lr·g is done where? a weight that barely moves (or not at all) means "
         "the update was rounded away")


def _float16_weights(w0, grads, lr):
    half = K.fp16_only_sgd(w0, grads, lr)
    return half.astype(np.float32), half


def _float64_master(w0, grads, lr):
    master = np.asarray(w0, np.float64)
    for grad in np.asarray(grads, np.float64):
        master = master - lr * grad
    return master.astype(np.float32), master.astype(np.float16)


def _float16_product(w0, grads, lr):
    master = np.asarray(w0, np.float32)
    for grad in np.asarray(grads, np.float16):
        master = master - (np.float16(lr) * grad).astype(np.float32)
    return master, master.astype(np.float16)


MISTAKES = {
    "lr·g was computed in float16 and widened afterwards: the update itself was rounded to "
    "float16 before it reached the float32 master": _float16_product,
    "the updates were applied to float16 weights: when lr·g is below half the float16 spacing "
    "around w, w − lr·g rounds back to w and the step is lost": _float16_weights,
    "the master copy was kept in float64 and rounded to float32 only at the end: the master "
    "weights are float32, so every update is rounded to float32 as it is applied":
        _float64_master,
}


def _check(name, w0, grads, lr, **kw):
    return Check(name, args=(w0, grads, lr), reference=K.mixed_precision_sgd, ulps=MAX_ULPS,
                 mistakes=MISTAKES, **kw)


def checks(rng):
    yield _check("one step", np.array([1.0, -2.0, 0.5], F16), np.array([[0.5, 1.0, -4.0]], F16),
                 0.1, hint="a single step from w0 with the first gradient, in float32")
    yield _check("100 tiny updates on w = 1 (swamping)", np.ones(4, F16),
                 np.ones((100, 4), F16), 1e-4, points=2,
                 hint="each update is 1e-4, below half the float16 spacing at 1.0 (2^-11): "
                      + WHERE)
    yield _check("weights near 1000, 50 steps", inputs.uniform(rng, 6, 900.0, 1100.0, F16),
                 inputs.normal(rng, (50, 6), 1.0, F16), 0.01, points=2,
                 hint="near 1000 the float16 spacing is 0.5, fifty times the updates: " + WHERE)
    yield _check("random 2-D weights, 30 steps", inputs.normal(rng, (3, 4), 1.0, F16),
                 inputs.normal(rng, (30, 3, 4), 0.5, F16), 0.05,
                 hint="the float16 copy is the master rounded once, after the last step")
    yield _check("zero steps return the widened weights", np.array([0.1, 7.0], F16),
                 np.zeros((0, 2), F16), 0.1)
    yield _check("small gradients, 200 steps", inputs.normal(rng, 8, 4.0, F16),
                 inputs.normal(rng, (200, 8), 1e-2, F16), 1e-2, hidden=True)
