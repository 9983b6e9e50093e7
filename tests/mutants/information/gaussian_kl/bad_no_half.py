"""Forgets the constant −1/2 (so identical Gaussians give 1/2)."""
import numpy as np


def gaussian_kl(mu_p, sigma_p, mu_q, sigma_q):
    return np.log(sigma_q / sigma_p) + (sigma_p**2 + (mu_p - mu_q)**2) / (2 * sigma_q**2)
