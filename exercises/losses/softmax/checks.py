"""Checks for losses/softmax: torch.softmax is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import losses as K


def checks(rng):
    yield Check("vector of 4 logits", args=(np.array([5.0, 2.0, -1.0, 3.0]),),
                reference=K.softmax)
    yield Check("batch (3, 5), last axis", args=(inputs.normal(rng, (3, 5), 2.0),),
                reference=K.softmax)
    yield Check("batch (4, 3), axis=0", args=(inputs.normal(rng, (4, 3)),), kwargs={"axis": 0},
                reference=K.softmax, hint="normalise along `axis`, not always the last one")
    yield Check("float32 keeps its dtype", args=(inputs.normal(rng, (2, 6), 3.0, np.float32),),
                reference=K.softmax)
    yield Check("large logits (|z| up to 1e4)", args=(inputs.large(rng, (3, 4), 1e4),),
                reference=K.softmax, points=2,
                hint="exp(1e4) overflows to inf and inf/inf is nan: no logit may reach exp() as "
                     "it is")
    yield Check("equal logits give a uniform distribution", args=(inputs.ties((2, 4), 7.0),),
                reference=K.softmax)
    yield Check("3-D input, middle axis", args=(inputs.normal(rng, (2, 3, 4)),),
                kwargs={"axis": 1}, reference=K.softmax, hidden=True)
