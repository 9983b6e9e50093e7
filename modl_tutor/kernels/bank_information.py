"""Reference kernels in torch for the information-theory exercises: entropy, KL, Gaussians."""

from __future__ import annotations

from typing import Any

import numpy as np
from modl_tutor.kernels._lazy import F, torch
from modl_tutor.kernels._lazy import distributions as D

from modl_tutor.kernels._convert import to_numpy, to_torch


def _float_or_array(tensor: torch.Tensor) -> np.ndarray | float:
    out = to_numpy(tensor)
    return float(out) if out.ndim == 0 else out


def entropy(p: Any, axis: int = -1) -> np.ndarray | float:
    """Shannon entropy in nats of distributions along `axis`: Σ −p·ln p with 0·ln 0 = 0."""
    return _float_or_array(torch.special.entr(to_torch(p)).sum(dim=axis))


def kl_from_logits(p_logits: Any, q_logits: Any, axis: int = -1) -> np.ndarray | float:
    """KL(softmax(p_logits) ‖ softmax(q_logits)) in nats along `axis`, via log-softmax."""
    log_p = F.log_softmax(to_torch(p_logits), dim=axis)
    log_q = F.log_softmax(to_torch(q_logits), dim=axis)
    kl = F.kl_div(log_q, log_p, reduction="none", log_target=True)
    return _float_or_array(kl.sum(dim=axis))


def gaussian_kl(mu_p: Any, sigma_p: Any, mu_q: Any, sigma_q: Any) -> np.ndarray:
    """Elementwise KL(N(mu_p, sigma_p²) ‖ N(mu_q, sigma_q²)) in nats (broadcast), as torch's."""
    tensors = torch.broadcast_tensors(*(to_torch(np.asarray(a, dtype=np.float64))
                                        for a in (mu_p, sigma_p, mu_q, sigma_q)))
    return to_numpy(D.kl_divergence(D.Normal(tensors[0], tensors[1]),
                                    D.Normal(tensors[2], tensors[3])))


def mutual_information(joint: Any) -> float:
    """I(X; Y) in nats of a joint probability table P[x, y] = H(X) + H(Y) − H(X, Y)."""
    table = to_torch(np.asarray(joint, dtype=np.float64))
    h = torch.special.entr
    return float(h(table.sum(1)).sum() + h(table.sum(0)).sum() - h(table).sum())
