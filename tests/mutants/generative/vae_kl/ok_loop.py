"""Row by row, dimension by dimension."""
import numpy as np


def vae_kl(mu, logvar):
    out = np.zeros(mu.shape[0], dtype=mu.dtype)
    for n in range(mu.shape[0]):
        for d in range(mu.shape[1]):
            out[n] += (np.exp(logvar[n, d]) + mu[n, d] ** 2 - 1 - logvar[n, d]) / 2
    return out
