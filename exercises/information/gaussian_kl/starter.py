"""information/gaussian_kl — KL(N(mu_p, sigma_p²) ‖ N(mu_q, sigma_q²)) with NumPy."""

import numpy as np


def gaussian_kl(mu_p, sigma_p, mu_q, sigma_q):
    """Closed-form KL divergence between two 1-D Gaussians, elementwise (sigmas are std devs)."""
    # TODO: ln(σ_q/σ_p) + (σ_p² + (μ_p − μ_q)²) / (2σ_q²) − 1/2, elementwise.
    raise NotImplementedError("gaussian_kl is not written yet")
