"""Reference kernels in torch for the generative-model exercises: VAE KL and gradients, GANs."""

from __future__ import annotations

from typing import Any

import numpy as np
from modl_tutor.kernels._lazy import F, torch
from modl_tutor.kernels._lazy import distributions as D

from modl_tutor.kernels._convert import to_numpy, to_torch


def vae_kl(mu: Any, logvar: Any) -> np.ndarray:
    """KL(N(mu, exp(logvar)) ‖ N(0, I)) per row of (N, D) inputs, by torch.distributions."""
    tmu, tlv = to_torch(mu), to_torch(logvar)
    q = D.Normal(tmu, torch.exp(0.5 * tlv))
    prior = D.Normal(torch.zeros_like(tmu), torch.ones_like(tmu))
    return to_numpy(D.kl_divergence(q, prior).sum(dim=-1))


def vae_encoder_grads(mu: Any, logvar: Any, eps: Any, dz: Any,
                      beta: float = 1.0) -> dict[str, np.ndarray]:
    """Gradients w.r.t. mu and logvar of Σ dz·z + beta·Σ KL, z = mu + exp(logvar/2)·eps.

    `dz` stands for the decoder's upstream gradient ∂(reconstruction loss)/∂z (autograd).
    """
    tmu = to_torch(mu).requires_grad_(True)
    tlv = to_torch(logvar).requires_grad_(True)
    std = torch.exp(0.5 * tlv)
    z = tmu + std * to_torch(eps)
    kl = D.kl_divergence(D.Normal(tmu, std), D.Normal(torch.zeros_like(tmu), torch.ones_like(tmu)))
    ((z * to_torch(dz)).sum() + beta * kl.sum()).backward()
    return {"dmu": to_numpy(tmu.grad), "dlogvar": to_numpy(tlv.grad)}


def gan_losses(real_logits: Any, fake_logits: Any) -> dict[str, float]:
    """The discriminator's loss and the two generator losses, from raw discriminator scores.

    d_loss = BCE(real, 1) + BCE(fake, 0) (each a mean); g_minimax = mean log(1 − D(G(z)));
    g_nonsat = BCE(fake, 1) = −mean log D(G(z)).
    """
    real, fake = to_torch(real_logits), to_torch(fake_logits)
    d_loss = (F.binary_cross_entropy_with_logits(real, torch.ones_like(real))
              + F.binary_cross_entropy_with_logits(fake, torch.zeros_like(fake)))
    g_minimax = -F.binary_cross_entropy_with_logits(fake, torch.zeros_like(fake))
    g_nonsat = F.binary_cross_entropy_with_logits(fake, torch.ones_like(fake))
    return {"d_loss": float(d_loss), "g_minimax": float(g_minimax), "g_nonsat": float(g_nonsat)}


def generator_logit_grads(fake_logits: Any) -> tuple[np.ndarray, np.ndarray]:
    """(d g_minimax / d logits, d g_nonsat / d logits) by autograd: the saturation picture."""
    grads = []
    for nonsat in (False, True):
        t = to_torch(fake_logits).requires_grad_(True)
        loss = (F.binary_cross_entropy_with_logits(t, torch.ones_like(t)) if nonsat
                else -F.binary_cross_entropy_with_logits(t, torch.zeros_like(t)))
        loss.backward()
        grads.append(to_numpy(t.grad))
    return grads[0], grads[1]
