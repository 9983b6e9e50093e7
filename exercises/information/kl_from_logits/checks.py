"""Checks for information/kl_from_logits: F.kl_div on log_softmax inputs is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_information as K

STABLE_HINT = ("use log-softmax: ln p = a − max(a) − ln Σ exp(a − max(a)); np.exp(1000.0) is "
               "inf and a probability of 0 gives ln 0")


def _swapped(a, b, axis=-1):
    return K.kl_from_logits(b, a, axis)


def _bits(a, b, axis=-1):
    return np.asarray(K.kl_from_logits(a, b, axis)) / np.log(2.0)


MISTAKES = {"that is KL(q‖p), the arguments swapped: weight ln(p/q) by p = softmax(p_logits)":
            _swapped,
            "that is the divergence in bits (log base 2): use the natural log": _bits}


def checks(rng):
    yield Check("p = softmax(1, 2, 3), q uniform",
                args=(np.array([1.0, 2.0, 3.0]), np.zeros(3)), reference=K.kl_from_logits,
                mistakes=MISTAKES, hint="KL(p‖q) = Σ p·(ln p − ln q), weighted by p")
    yield Check("batch (4, 5), last axis",
                args=(inputs.normal(rng, (4, 5), 2.0), inputs.normal(rng, (4, 5), 2.0)),
                reference=K.kl_from_logits, points=2, mistakes=MISTAKES)
    a = inputs.normal(rng, (3, 4))
    yield Check("identical logits give 0", args=(a, a.copy()), reference=K.kl_from_logits)
    yield Check("adding a constant to the logits changes nothing",
                args=(a + 50.0, inputs.normal(rng, (3, 4)) - 30.0), reference=K.kl_from_logits,
                hint="softmax is shift-invariant: subtract each row's max before np.exp")
    yield Check("distributions along axis 0",
                args=(inputs.normal(rng, (6, 2), 1.5), inputs.normal(rng, (6, 2), 1.5)),
                kwargs={"axis": 0}, reference=K.kl_from_logits, mistakes=MISTAKES,
                hint="every reduction (max, logsumexp, the final sum) runs along `axis`")
    yield Check("large logits (|z| up to 1e4)",
                args=(inputs.large(rng, (3, 4), 1e4), inputs.large(rng, (3, 4), 1e4)),
                reference=K.kl_from_logits, points=2, hint=STABLE_HINT)
    yield Check("float32 keeps float32",
                args=(inputs.normal(rng, (2, 6), 2.0, np.float32),
                      inputs.normal(rng, (2, 6), 2.0, np.float32)),
                reference=K.kl_from_logits, rtol=1e-4, atol=1e-6)
    yield Check("3-D input, middle axis, large logits",
                args=(inputs.large(rng, (2, 5, 3), 1e3), inputs.normal(rng, (2, 5, 3), 3.0)),
                kwargs={"axis": 1}, reference=K.kl_from_logits, hidden=True, hint=STABLE_HINT)
