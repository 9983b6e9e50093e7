"""Checks for precision/fp16_vs_master_sgd: the same two SGD loops in torch half and float."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_mixed_precision as K

F16 = np.float16
LOST_HINT = ("count a step as lost when u = fp16(lr)·g is not 0 but fp16(w − u) == w; keep "
             "the count per weight in an int64 array")
DTYPE_HINT = ("plain: np.float16(lr) * g and w − u stay float16; master: "
              "np.float32(lr) * g.astype(np.float32), subtracted in float32")


def checks(rng):
    yield Check("5 steps of +0.0004 on w = 1: all swamped in float16",
                args=(np.ones(3, F16), np.full((5, 3), -0.04, F16), 0.01),
                reference=K.sgd_fp16_vs_master, ulps=0, points=2,
                hint="around 1 the float16 gap upwards is 2⁻¹⁰ ≈ 0.00098: an update of 0.0004 "
                     "is below half of it, so plain w stays 1 and all 5 steps are lost; the "
                     "float32 master reaches ≈ 1.002")
    yield Check("one step each way on a few weights",
                args=(np.array([1.0, -2.0, 0.5, 1000.0], F16),
                      np.array([[0.5, 1.0, -4.0, 3.0]], F16), 0.1),
                reference=K.sgd_fp16_vs_master, ulps=0, hint=DTYPE_HINT)
    yield Check("weights near 1000, 40 steps",
                args=(inputs.uniform(rng, 6, 900.0, 1100.0, F16),
                      inputs.normal(rng, (40, 6), 1.0, F16), 0.05),
                reference=K.sgd_fp16_vs_master, ulps=0, points=2, hint=LOST_HINT)
    grads = inputs.normal(rng, (30, 2, 3), 0.5, F16)
    grads[::3, 0, 0] = 0.0  # zero gradients: no update, nothing lost
    grads[1::4, 1, 2] = F16(1e-4)  # lr·g = 1e-8 underflows to 0 in float16: not lost either
    yield Check("zero and underflowing updates are not counted as lost",
                args=(inputs.normal(rng, (2, 3), 1.0, F16), grads, 1e-4),
                reference=K.sgd_fp16_vs_master, ulps=0,
                hint="only a non-zero float16 update u that rounding swallowed counts as lost")
    yield Check("zero steps (K = 0)", args=(np.array([0.1, 7.0], F16), np.zeros((0, 2), F16),
                                          0.1),
                reference=K.sgd_fp16_vs_master, ulps=0,
                hint="with no steps: plain = w0, master = w0 widened to float32, lost = 0")
    yield Check("small gradients, 200 steps", args=(inputs.normal(rng, 8, 4.0, F16),
                                                    inputs.normal(rng, (200, 8), 1e-2, F16),
                                                    1e-2),
                reference=K.sgd_fp16_vs_master, ulps=0, hidden=True, hint=LOST_HINT)
