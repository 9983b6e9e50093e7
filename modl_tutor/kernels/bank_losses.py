"""Extra torch reference kernels for the losses exercises: label smoothing, focal loss, MSE."""

from __future__ import annotations

from typing import Any

import numpy as np
from modl_tutor.kernels._lazy import F, torch

from modl_tutor.kernels._convert import to_numpy, to_torch


def smoothed_cross_entropy(logits: Any, targets: Any, smoothing: float) -> float:
    """Mean cross-entropy with label smoothing, as `F.cross_entropy(label_smoothing=...)`."""
    return float(F.cross_entropy(to_torch(logits), to_torch(targets, torch.long),
                                 label_smoothing=float(smoothing)))


def focal_loss(logits: Any, targets: Any, gamma: float = 2.0) -> float:
    """Mean binary focal loss −(1 − p_t)^γ · log p_t from raw scores (no α weighting)."""
    z, y = to_torch(logits), to_torch(targets)
    ce = F.binary_cross_entropy_with_logits(z, y, reduction="none")
    p = torch.sigmoid(z)
    p_t = p * y + (1 - p) * (1 - y)
    return float((ce * (1 - p_t) ** gamma).mean())


def mse_and_grad(pred: Any, target: Any) -> tuple[float, np.ndarray]:
    """(mean squared error over every element, its gradient with respect to `pred`)."""
    tp = to_torch(pred).requires_grad_(True)
    loss = F.mse_loss(tp, to_torch(target))
    loss.backward()
    return float(loss.detach()), to_numpy(tp.grad)


def logsumexp(z: Any, axis: int = -1) -> np.ndarray | float:
    """`torch.logsumexp` along `axis`; a Python float when the result has no dimensions."""
    out = to_numpy(torch.logsumexp(to_torch(z), dim=axis))
    return float(out) if out.ndim == 0 else out
