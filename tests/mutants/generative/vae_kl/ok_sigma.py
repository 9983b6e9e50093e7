"""Through σ explicitly: ½(σ² + μ² − 1) − ln σ."""
import numpy as np


def vae_kl(mu, logvar):
    sigma = np.exp(logvar / 2)
    return (0.5 * (sigma**2 + mu**2 - 1) - np.log(sigma)).sum(axis=-1)
