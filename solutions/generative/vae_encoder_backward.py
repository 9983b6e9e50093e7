"""generative/vae_encoder_backward — gradients of reconstruction + β·KL w.r.t. μ and logvar."""

import numpy as np


def vae_encoder_backward(mu, logvar, eps, dz, beta=1.0):
    """dz = ∂L_rec/∂z for z = mu + exp(logvar/2)·eps -> {"dmu", "dlogvar"}, each (N, D)."""
    # TODO: the path through z (chain rule through the reparameterisation), plus the path
    # through the KL term, for each of mu and logvar.
    # BEGIN SOLUTION
    sigma = np.exp(0.5 * logvar)
    dmu = dz + beta * mu
    dlogvar = dz * eps * 0.5 * sigma + beta * 0.5 * (np.exp(logvar) - 1)
    return {"dmu": dmu, "dlogvar": dlogvar}
    # END SOLUTION
