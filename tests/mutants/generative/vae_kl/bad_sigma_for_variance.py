"""Uses exp(logvar / 2) = σ where the formula needs σ²."""
import numpy as np


def vae_kl(mu, logvar):
    sigma = np.exp(0.5 * logvar)
    return 0.5 * np.sum(sigma + mu**2 - 1 - logvar, axis=1)
