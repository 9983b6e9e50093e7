"""Checks for generative/vae_encoder_backward: torch autograd through z and the KL term."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_generative as K

BOTH = ("add both paths: dz reaches μ and logvar through z = μ + σ·ε, and the KL term "
        "depends on them directly")


def _state(rng, N, D, dtype=np.float64, spread=1.0):
    return (inputs.normal(rng, (N, D), dtype=dtype),
            inputs.uniform(rng, (N, D), -spread, spread, dtype),
            inputs.normal(rng, (N, D), dtype=dtype), inputs.normal(rng, (N, D), dtype=dtype))


def checks(rng):
    yield Check("batch of 3, D = 4, beta = 1", args=_state(rng, 3, 4),
                reference=K.vae_encoder_grads, points=2, hint=BOTH)
    yield Check("beta = 0: the reconstruction path alone", args=_state(rng, 2, 3),
                kwargs={"beta": 0.0}, reference=K.vae_encoder_grads,
                hint="z = μ + exp(logvar/2)·ε: ∂z/∂logvar = ε·exp(logvar/2)/2 — mind the ½")
    yield Check("dz = 0: the KL path alone", args=_state(rng, 2, 3)[:3] + (np.zeros((2, 3)),),
                kwargs={"beta": 2.5}, reference=K.vae_encoder_grads,
                hint="the KL term ½(e^logvar + μ² − 1 − logvar) has ∂/∂μ = μ and "
                     "∂/∂logvar = ½(e^logvar − 1), times beta")
    yield Check("q at the prior (μ = 0, logvar = 0): the KL path gives 0",
                args=(np.zeros((2, 2)), np.zeros((2, 2)), inputs.normal(rng, (2, 2)),
                      inputs.normal(rng, (2, 2))), reference=K.vae_encoder_grads,
                hint="at μ = 0, logvar = 0 the KL is at its minimum: only the path through z "
                     "remains, dmu = dz and dlogvar = dz·ε/2")
    yield Check("logvar from −10 to 10", args=_state(rng, 3, 3, spread=10.0),
                reference=K.vae_encoder_grads)
    yield Check("float32 keeps float32", args=_state(rng, 4, 2, np.float32),
                kwargs={"beta": 0.5}, reference=K.vae_encoder_grads)
    yield Check("larger latent space, N = 8, D = 16, beta = 4", args=_state(rng, 8, 16, spread=3.0),
                kwargs={"beta": 4.0}, reference=K.vae_encoder_grads, hidden=True, hint=BOTH)
