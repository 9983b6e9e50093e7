"""Checks for information/entropy: torch.special.entr summed along the axis is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_information as K

ZERO_HINT = ("0·ln 0 must count as 0: np.log(0) is −inf and 0·(−inf) is nan, so take the log "
             "only where p > 0 (np.where)")


def _bits(p, axis=-1):
    return np.asarray(K.entropy(p, axis)) / np.log(2.0)


def _other_axis(p, axis=-1):
    p = np.asarray(p)
    return K.entropy(p, 0 if axis in (-1, p.ndim - 1) else -1)


BITS = {"that is the entropy in bits (log base 2): use the natural log, np.log": _bits}
MISTAKES = {**BITS,
            "summed along the wrong axis: each distribution runs along `axis`": _other_axis}


def _simplex(rng, shape, zeros=0.0, dtype=np.float64):
    """Random distributions along the last axis, with about `zeros` of the entries set to 0."""
    raw = rng.gamma(1.0, 1.0, shape) * (rng.random(shape) >= zeros)
    raw[..., 0] += 1e-3  # never an all-zero row
    return (raw / raw.sum(axis=-1, keepdims=True)).astype(dtype)


def checks(rng):
    yield Check("p = (1/2, 1/4, 1/8, 1/8)", args=(np.array([0.5, 0.25, 0.125, 0.125]),),
                reference=K.entropy, mistakes=BITS,
                hint="−Σ p·ln p: the result is 1.75·ln 2 nats (1.75 bits)")
    yield Check("batch (4, 5), last axis", args=(_simplex(rng, (4, 5)),), reference=K.entropy,
                points=2, mistakes=MISTAKES)
    yield Check("one-hot rows have entropy 0", args=(np.eye(4)[[2, 0, 3]],),
                reference=K.entropy, points=2, hint=ZERO_HINT)
    yield Check("rows with some zero probabilities", args=(_simplex(rng, (3, 6), 0.4),),
                reference=K.entropy, hint=ZERO_HINT)
    yield Check("distributions along axis 0", args=(_simplex(rng, (3, 5)).T.copy(),),
                kwargs={"axis": 0}, reference=K.entropy, mistakes=MISTAKES,
                hint="sum along `axis`, whatever it is")
    yield Check("uniform over 1000 classes (= ln 1000)", args=(np.full(1000, 1e-3),),
                reference=K.entropy)
    yield Check("float32 keeps float32", args=(_simplex(rng, (2, 8), 0.25, np.float32),),
                reference=K.entropy, hint="compute in the input's dtype")
    yield Check("3-D input, axis 1, with zeros",
                args=(np.moveaxis(_simplex(rng, (2, 4, 5), 0.3), -1, 1).copy(),),
                kwargs={"axis": 1}, reference=K.entropy, hidden=True, hint=ZERO_HINT)
