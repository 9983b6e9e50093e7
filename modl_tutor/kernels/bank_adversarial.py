"""Reference kernels in torch for the adversarial exercises: input gradients, FGSM, PGD."""

from __future__ import annotations

from typing import Any

import numpy as np
from modl_tutor.kernels._lazy import F, torch

from modl_tutor.kernels._convert import to_numpy, to_torch


def _softmax_loss(tx: torch.Tensor, y: Any, W: Any, b: Any) -> torch.Tensor:
    """Σ_n cross-entropy(x_n·W + b, y_n): the sum, so row n is example n's own gradient."""
    logits = tx @ to_torch(W) + to_torch(b)
    return F.cross_entropy(logits, to_torch(np.asarray(y), torch.long), reduction="sum")


def input_gradient(X: Any, y: Any, W: Any, b: Any) -> np.ndarray:
    """∂/∂X of the summed softmax cross-entropy of the linear classifier X @ W + b."""
    tx = to_torch(X).requires_grad_(True)
    _softmax_loss(tx, y, W, b).backward()
    return to_numpy(tx.grad)


def fgsm_logistic(x: Any, y: Any, w: Any, b: float, eps: float, lo: float = 0.0,
                  hi: float = 1.0) -> np.ndarray:
    """One FGSM step on binary cross-entropy of σ(x·w + b): clip(x + eps·sign(∇x L), lo, hi)."""
    tx = to_torch(x).requires_grad_(True)
    z = tx @ to_torch(w) + float(b)
    F.binary_cross_entropy_with_logits(z, to_torch(y).to(z.dtype), reduction="sum").backward()
    with torch.no_grad():
        return to_numpy(torch.clamp(tx + eps * torch.sign(tx.grad), lo, hi))


def pgd_linear(x: Any, y: Any, W: Any, b: Any, eps: float, alpha: float, steps: int,
               lo: float = 0.0, hi: float = 1.0) -> np.ndarray:
    """L∞ PGD from x (no random start) on the softmax linear classifier X @ W + b.

    Each step: x ← clip(clip(x + alpha·sign(∇x L), x0 − eps, x0 + eps), lo, hi).
    """
    x0 = to_torch(x)
    adv = x0.clone()
    for _ in range(int(steps)):
        adv.requires_grad_(True)
        _softmax_loss(adv, y, W, b).backward()
        with torch.no_grad():
            stepped = adv + alpha * torch.sign(adv.grad)
            adv = torch.clamp(torch.clamp(stepped, x0 - eps, x0 + eps), lo, hi).detach()
    return to_numpy(adv)
