"""The KL gradient in logvar with the wrong sign: ½(1 − exp(logvar))."""
import numpy as np


def vae_encoder_backward(mu, logvar, eps, dz, beta=1.0):
    sigma = np.exp(0.5 * logvar)
    return {"dmu": dz + beta * mu,
            "dlogvar": dz * eps * 0.5 * sigma + beta * 0.5 * (1 - np.exp(logvar))}
