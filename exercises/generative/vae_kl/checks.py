"""Checks for generative/vae_kl: torch.distributions.kl_divergence is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_generative as K

MISTAKES = {
    "σ² came out as exp(2·logvar), which treats logvar as ln σ: logvar is ln σ², so "
    "σ² = exp(logvar)": lambda mu, lv: K.vae_kl(mu, 2 * lv),
    "the factor ½ is missing": lambda mu, lv: 2 * K.vae_kl(mu, lv),
    "the −1 of every dimension is missing (check: μ = 0, logvar = 0 must give KL = 0)":
        lambda mu, lv: K.vae_kl(mu, lv) + 0.5 * np.shape(mu)[-1],
}


def checks(rng):
    yield Check("batch of 4, D = 3", args=(inputs.normal(rng, (4, 3)), inputs.normal(rng, (4, 3))),
                reference=K.vae_kl, points=2, mistakes=MISTAKES,
                hint="KL = 0.5 · Σ_d (exp(logvar) + μ² − 1 − logvar), one value per row")
    yield Check("q equals the prior: μ = 0, logvar = 0 gives KL = 0",
                args=(np.zeros((2, 5)), np.zeros((2, 5))), reference=K.vae_kl, mistakes=MISTAKES,
                hint="with σ² = 1 and μ = 0 the two Gaussians coincide, so every term is 0")
    yield Check("one example, D = 1 (shape (1,), not a scalar)",
                args=(np.array([[1.5]]), np.array([[-0.7]])), reference=K.vae_kl,
                mistakes=MISTAKES)
    yield Check("logvar from −20 to 20", args=(inputs.normal(rng, (3, 4), 2.0),
                                              inputs.uniform(rng, (3, 4), -20.0, 20.0)),
                reference=K.vae_kl, mistakes=MISTAKES,
                hint="do not take exp and then log again: ln σ² is just logvar")
    yield Check("float32 keeps float32", args=(inputs.normal(rng, (5, 2), dtype=np.float32),
                                              inputs.normal(rng, (5, 2), dtype=np.float32)),
                reference=K.vae_kl, mistakes=MISTAKES)
    yield Check("large latent space, N = 16, D = 64",
                args=(inputs.normal(rng, (16, 64)), inputs.normal(rng, (16, 64), 3.0)),
                reference=K.vae_kl, hidden=True, mistakes=MISTAKES)
