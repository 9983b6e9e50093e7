"""Correct: written with variances and a log of their ratio."""
import numpy as np


def gaussian_kl(mu_p, sigma_p, mu_q, sigma_q):
    var_p, var_q = sigma_p * sigma_p, sigma_q * sigma_q
    ratio = var_p / var_q
    return 0.5 * (ratio - 1.0 - np.log(ratio) + (mu_p - mu_q) ** 2 / var_q)
