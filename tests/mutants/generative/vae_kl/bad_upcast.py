"""Correct values, but float32 inputs come back as float64."""
import numpy as np


def vae_kl(mu, logvar):
    mu = np.asarray(mu, dtype=np.float64)
    logvar = np.asarray(logvar, dtype=np.float64)
    return 0.5 * np.sum(np.exp(logvar) + mu**2 - 1 - logvar, axis=1)
