"""Checks for derivatives/softmax_jacobian: torch.autograd.functional.jacobian is the reference."""

from __future__ import annotations

from typing import Any

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_derivatives as K


def _rows_sum_to_zero(got: Any, check: Check) -> str | None:
    sums = np.sum(np.asarray(got, dtype=np.float64), axis=-2)
    if not np.allclose(sums, 0.0, atol=1e-6):
        return "each column of J should sum to 0 (the probabilities always sum to 1)"
    return None


def _large_near_tie(rng: np.random.Generator) -> np.ndarray:
    """Rows of size ~1e4 whose two largest logits differ by less than 2: J is not ~0."""
    z = inputs.large(rng, (2, 4), 1e4)
    for row in z:
        top = int(np.argmax(row))
        row[(top + 1) % row.size] = row[top] - rng.uniform(0.1, 2.0)
    return z


def checks(rng: np.random.Generator):  # type: ignore[no-untyped-def]
    yield Check("vector of 4 logits (5, 2, −1, 3)", args=(np.array([5.0, 2.0, -1.0, 3.0]),),
                reference=K.softmax_jacobian,
                hint="look at the diagonal and the off-diagonal entries separately: ∂p_i/∂z_i "
                     "and ∂p_i/∂z_j (i ≠ j) are different cases")
    yield Check("vector of 6 logits", args=(inputs.normal(rng, 6, 2.0),),
                reference=K.softmax_jacobian, validate=_rows_sum_to_zero)
    yield Check("batch (3, 5) → (3, 5, 5)", args=(inputs.normal(rng, (3, 5), 2.0),),
                reference=K.softmax_jacobian, points=2,
                hint="one (5, 5) Jacobian per row of the batch: np.outer and np.diag do not "
                     "work row by row (np.outer flattens its inputs)")
    yield Check("float32 keeps its dtype", args=(inputs.normal(rng, (2, 4), 1.5, np.float32),),
                reference=K.softmax_jacobian,
                hint="float32 in, float32 out: np.eye and np.zeros are float64 unless given a "
                     "dtype")
    yield Check("large logits (|z| up to 1e4), top two close", args=(_large_near_tie(rng),),
                reference=K.softmax_jacobian, points=2,
                hint="logits of about 1e4 make exp() overflow (inf/inf is nan); the two "
                     "largest are close, so the Jacobian is not ~0 here")
    yield Check("equal logits", args=(inputs.ties(5, 3.0),), reference=K.softmax_jacobian)
    yield Check("a single logit: J = [[0]]", args=(np.array([7.5]),),
                reference=K.softmax_jacobian, hidden=True)
