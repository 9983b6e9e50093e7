"""Checks for derivatives/relative_error: the CS231n relative error, computed in torch."""

from __future__ import annotations

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_derivatives as K


def checks(rng: np.random.Generator):  # type: ignore[no-untyped-def]
    a = inputs.normal(rng, 8)
    yield Check("gradients that agree to about 1e-9",
                args=(a, a * (1 + 1e-9 * inputs.normal(rng, 8))), reference=K.relative_error)
    yield Check("a gradient off by a factor 2 (error 0.5)", args=(a, 2 * a),
                reference=K.relative_error,
                hint="here one gradient is twice the other, so the error is exactly 0.5: a "
                     "different value means a different denominator than the prompt's")
    bad = a.copy()
    bad[3] = -bad[3]
    yield Check("one wrong entry among good ones: the maximum, not the mean", args=(a, bad),
                reference=K.relative_error, hint="one bad entry among good ones: the error reported is "
                "that of the worst entry, not an average")
    m = inputs.normal(rng, (3, 4))
    yield Check("2-D gradients (3×4)", args=(m, m + 1e-6 * inputs.normal(rng, (3, 4))),
                reference=K.relative_error)
    z = inputs.normal(rng, 6)
    z[[1, 4]] = 0.0
    yield Check("entries where both values are 0 count as 0", args=(z, z * (1 + 1e-8)),
                reference=K.relative_error, points=2,
                hint="some entries are 0 in both gradients, and 0/0 is nan: those entries "
                     "count as error 0")
    tiny = inputs.tiny(rng, 5, 1e-30)
    yield Check("tiny gradients (about 1e-30): the error does not depend on scale",
                args=(tiny, tiny * 1.1), reference=K.relative_error, points=2,
                hint="gradients of about 1e-30: an epsilon added to the denominator swamps "
                     "them, and the relative error must not depend on the scale")
    with_nan = a.copy()
    with_nan[2] = np.nan
    yield Check("a nan in the numeric gradient gives nan", args=(a, with_nan),
                reference=K.relative_error, hidden=True,
                hint="a nan in a gradient must show in the error (nan): np.nanmax and "
                     "np.nan_to_num hide it")
    yield Check("empty gradients give 0.0", args=(np.zeros(0), np.zeros(0)),
                reference=K.relative_error, hidden=True)
