"""Checks for losses/logsumexp: torch.logsumexp is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_losses as B

_SHIFT = ("no value may reach exp() as it is: shift the values along `axis` so the largest "
          "term is exp(0)")


def checks(rng):
    yield Check("vector of 4 values", args=(np.array([5.0, 2.0, -1.0, 3.0]),),
                reference=B.logsumexp)
    yield Check("batch (3, 5), last axis", args=(inputs.normal(rng, (3, 5), 2.0),),
                reference=B.logsumexp)
    yield Check("(4, 3) array, axis=0", args=(inputs.normal(rng, (4, 3)),), kwargs={"axis": 0},
                reference=B.logsumexp,
                hint="reduce along `axis` (not always the last one); the result loses that axis")
    yield Check("float32 keeps its dtype", args=(inputs.normal(rng, (2, 6), 3.0, np.float32),),
                reference=B.logsumexp)
    yield Check("large values (|z| up to 1e4)", args=(inputs.large(rng, (3, 4), 1e4),),
                reference=B.logsumexp, points=2, hint="exp(1e4) overflows to inf: " + _SHIFT)
    yield Check("very negative values (all near −1e4)",
                args=(-np.abs(inputs.large(rng, (2, 5), 1e4)),), reference=B.logsumexp,
                hint="exp(−1e4) underflows to 0 and log(0) = −inf: " + _SHIFT)
    yield Check("masked entries (−inf)", reference=B.logsumexp,
                args=(np.array([[-np.inf, 1.0, 2.0], [0.0, -np.inf, -np.inf]]),),
                hint="a −inf entry (a masked one) contributes exp(−inf) = 0 to the sum; the "
                     "result is finite as long as one entry of the slice is")
    yield Check("3-D input, middle axis", args=(inputs.normal(rng, (2, 3, 4), 5.0),),
                kwargs={"axis": 1}, reference=B.logsumexp, hidden=True)
