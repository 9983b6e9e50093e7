"""Only the path through z: the KL term's own gradient is missing."""
import numpy as np


def vae_encoder_backward(mu, logvar, eps, dz, beta=1.0):
    return {"dmu": dz.copy(), "dlogvar": dz * eps * 0.5 * np.exp(0.5 * logvar)}
