"""Checks for information/gaussian_kl: torch.distributions.kl_divergence is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import bank_information as K


def _swapped(mu_p, s_p, mu_q, s_q):
    return K.gaussian_kl(mu_q, s_q, mu_p, s_p)


def _sigma_as_variance(mu_p, s_p, mu_q, s_q):
    return np.log(s_q / s_p) + (s_p + (mu_p - mu_q) ** 2) / (2 * s_q) - 0.5


def _log_variance_ratio(mu_p, s_p, mu_q, s_q):
    return np.log(s_q ** 2 / s_p ** 2) + (s_p ** 2 + (mu_p - mu_q) ** 2) / (2 * s_q ** 2) - 0.5


MISTAKES = {
    "that is KL(q‖p), p and q swapped: the variance in the denominator is σ_q², q's": _swapped,
    "σ was used where σ² belongs: the middle term is (σ_p² + (μ_p − μ_q)²)/(2σ_q²)":
        _sigma_as_variance,
    "the log term is ln(σ_q/σ_p) = ½·ln(σ_q²/σ_p²); ln(σ_q²/σ_p²) counts it twice":
        _log_variance_ratio,
}


def _case(rng, shape):
    return (inputs.normal(rng, shape), inputs.uniform(rng, shape, 0.3, 2.0),
            inputs.normal(rng, shape), inputs.uniform(rng, shape, 0.3, 2.0))


def checks(rng):
    yield Check("N(1, 1) against N(0, 2²)",
                args=(np.array([1.0]), np.array([1.0]), np.array([0.0]), np.array([2.0])),
                reference=K.gaussian_kl, mistakes=MISTAKES,
                hint="ln(2/1) + (1 + 1)/(2·4) − 1/2 ≈ 0.443")
    yield Check("five random pairs", args=_case(rng, 5), reference=K.gaussian_kl, points=2,
                mistakes=MISTAKES)
    mu, sigma = inputs.normal(rng, 4), inputs.uniform(rng, 4, 0.5, 3.0)
    yield Check("identical Gaussians give 0", args=(mu, sigma, mu.copy(), sigma.copy()),
                reference=K.gaussian_kl, hint="every term must cancel when p = q")
    yield Check("equal means: only the widths differ",
                args=(np.zeros(3), np.array([0.5, 1.0, 4.0]), np.zeros(3), np.ones(3)),
                reference=K.gaussian_kl, mistakes=MISTAKES)
    yield Check("equal widths: (μ_p − μ_q)²/(2σ²)",
                args=(np.array([0.0, 1.0, -3.0]), np.full(3, 0.5), np.array([2.0, 1.0, 3.0]),
                      np.full(3, 0.5)),
                reference=K.gaussian_kl, mistakes=MISTAKES)
    yield Check("a very narrow p (σ_p = 1e-3)",
                args=(np.array([0.2, -0.1]), np.array([1e-3, 1e-3]), np.zeros(2), np.ones(2)),
                reference=K.gaussian_kl, mistakes=MISTAKES)
    yield Check("2-D batch (3, 4)", args=_case(rng, (3, 4)), reference=K.gaussian_kl,
                hidden=True, mistakes=MISTAKES)
