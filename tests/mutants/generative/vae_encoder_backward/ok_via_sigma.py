"""Through σ: dL/dσ first, then dσ/dlogvar = σ/2; the KL written with σ."""
import numpy as np


def vae_encoder_backward(mu, logvar, eps, dz, beta=1.0):
    sigma = np.exp(logvar / 2)
    d_sigma = dz * eps + beta * (sigma - 1 / sigma)   # KL = ½(σ² + μ² − 1) − ln σ
    return {"dmu": dz + beta * mu, "dlogvar": d_sigma * sigma / 2}
