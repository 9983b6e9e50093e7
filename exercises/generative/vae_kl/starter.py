"""generative/vae_kl — KL(N(mu, exp(logvar)) ‖ N(0, I)) per example, in closed form."""

import numpy as np


def vae_kl(mu, logvar):
    """mu, logvar (N, D) -> (N,) KL divergences, summed over the latent dimensions."""
    # TODO: the closed form, one latent dimension at a time, then sum over axis 1.
    raise NotImplementedError("vae_kl is not written yet")
