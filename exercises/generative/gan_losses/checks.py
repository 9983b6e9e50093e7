"""Checks for generative/gan_losses: F.binary_cross_entropy_with_logits is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_generative as K

STABLE = ("a saturated discriminator has scores near ±1e4: ln(1 + e^u) overflows, and "
          "ln(1 − σ(l)) is ln 0; use np.logaddexp(0, u) for softplus(u)")


def checks(rng):
    yield Check("balanced batches of 6",
                args=(inputs.normal(rng, 6, 2.0), inputs.normal(rng, 6, 2.0)),
                reference=K.gan_losses, points=2,
                hint="−ln σ(l) = softplus(−l) and −ln(1 − σ(l)) = softplus(l); "
                     "g_minimax is minus the fake half of d_loss")
    yield Check("real and fake batches of different sizes (5 and 3)",
                args=(inputs.normal(rng, 5), inputs.normal(rng, 3)), reference=K.gan_losses,
                hint="average each batch over its own size, then add the two means")
    yield Check("saturated discriminator: real ≈ +1e4, fake ≈ −1e4",
                args=(inputs.uniform(rng, 4, 5e3, 1e4), inputs.uniform(rng, 4, -1e4, -5e3)),
                reference=K.gan_losses, points=2, hint=STABLE)
    yield Check("fooled discriminator: fake scores ≈ +1e4",
                args=(inputs.uniform(rng, 3, -1e4, -5e3), inputs.uniform(rng, 3, 5e3, 1e4)),
                reference=K.gan_losses, hint=STABLE)
    yield Check("scores of exactly 0 (D = ½ everywhere)", args=(np.zeros(4), np.zeros(2)),
                reference=K.gan_losses,
                hint="σ(0) = ½: d_loss = 2 ln 2, g_minimax = −ln 2, g_nonsat = ln 2")
    yield Check("mixed magnitudes, N = 64, M = 32",
                args=(inputs.large(rng, 64, 50.0), inputs.large(rng, 32, 50.0)),
                reference=K.gan_losses, hidden=True, hint=STABLE)
