"""Only the KL term: treats the sample z as a constant (no reparameterisation)."""
import numpy as np


def vae_encoder_backward(mu, logvar, eps, dz, beta=1.0):
    return {"dmu": beta * mu, "dlogvar": beta * 0.5 * (np.exp(logvar) - 1)}
