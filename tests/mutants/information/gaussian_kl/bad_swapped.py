"""Computes KL(q‖p)."""
import numpy as np


def gaussian_kl(mu_p, sigma_p, mu_q, sigma_q):
    return np.log(sigma_p / sigma_q) + (sigma_q**2 + (mu_q - mu_p)**2) / (2 * sigma_p**2) - 0.5
