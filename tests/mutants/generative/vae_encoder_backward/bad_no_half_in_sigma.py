"""∂σ/∂logvar taken as σ (forgets the ½ of exp(logvar / 2))."""
import numpy as np


def vae_encoder_backward(mu, logvar, eps, dz, beta=1.0):
    sigma = np.exp(0.5 * logvar)
    return {"dmu": dz + beta * mu,
            "dlogvar": dz * eps * sigma + beta * 0.5 * (np.exp(logvar) - 1)}
