"""Always uses beta = 1."""
import numpy as np


def vae_encoder_backward(mu, logvar, eps, dz, beta=1.0):
    sigma = np.exp(0.5 * logvar)
    return {"dmu": dz + mu, "dlogvar": dz * eps * 0.5 * sigma + 0.5 * (np.exp(logvar) - 1)}
