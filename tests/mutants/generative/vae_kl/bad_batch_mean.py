"""Averages over the batch: one number instead of one per example."""
import numpy as np


def vae_kl(mu, logvar):
    return np.mean(0.5 * np.sum(np.exp(logvar) + mu**2 - 1 - logvar, axis=1))
