"""Reference kernels for the backprop exercises that kernels.backprop lacks: batch norm, dropout."""

from __future__ import annotations

from typing import Any

import numpy as np
from modl_tutor.kernels._lazy import F, torch

from modl_tutor.kernels._convert import to_numpy, to_torch


def batchnorm_backward(x: Any, gamma: Any, dout: Any, eps: float = 1e-5) -> dict[str, np.ndarray]:
    """Training-mode batch norm over axis 0 of x (N, D): gradients dx, dgamma, dbeta of `dout`."""
    tx = to_torch(x).requires_grad_(True)
    tgamma = to_torch(gamma).requires_grad_(True)
    tbeta = torch.zeros_like(tgamma, requires_grad=True)
    out = F.batch_norm(tx, None, None, tgamma, tbeta, training=True, eps=eps)
    out.backward(to_torch(dout))
    return {"dx": to_numpy(tx.grad), "dgamma": to_numpy(tgamma.grad),
            "dbeta": to_numpy(tbeta.grad)}


def dropout_backward(dout: Any, mask: Any, p: float) -> np.ndarray:
    """Inverted dropout y = x·mask/(1−p) with a given keep-mask: the gradient dx for `dout`."""
    tdout = to_torch(dout)
    tx = torch.zeros_like(tdout, requires_grad=True)
    keep = torch.from_numpy(np.asarray(mask, dtype=bool).copy()).to(tdout.dtype)
    y = tx * keep / (1.0 - p)
    y.backward(tdout)
    return to_numpy(tx.grad)

