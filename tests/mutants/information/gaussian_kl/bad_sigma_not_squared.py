"""Treats the standard deviations as variances in the middle term."""
import numpy as np


def gaussian_kl(mu_p, sigma_p, mu_q, sigma_q):
    return np.log(sigma_q / sigma_p) + (sigma_p + (mu_p - mu_q) ** 2) / (2 * sigma_q) - 0.5
