"""generative/vae_encoder_backward — gradients of reconstruction + β·KL w.r.t. μ and logvar."""

import numpy as np


def vae_encoder_backward(mu, logvar, eps, dz, beta=1.0):
    """dz = ∂L_rec/∂z for z = mu + exp(logvar/2)·eps -> {"dmu", "dlogvar"}, each (N, D)."""
    # TODO: the path through z (chain rule through the reparameterisation), plus the path
    # through the KL term, for each of mu and logvar.
    raise NotImplementedError("vae_encoder_backward is not written yet")
