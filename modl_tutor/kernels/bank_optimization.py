"""Reference kernels in torch for the optimization exercises: momentum SGD, conjugate gradient."""

from __future__ import annotations

from typing import Any

import numpy as np
from modl_tutor.kernels._lazy import torch

from modl_tutor.kernels import optim
from modl_tutor.kernels._convert import to_numpy, to_torch


def momentum_step(param: Any, grad: Any, velocity: Any, lr: float,
                  momentum: float = 0.9) -> tuple[np.ndarray, np.ndarray]:
    """torch.optim.SGD with momentum (no dampening) from buffer `velocity`: (param, buffer)."""
    return optim.sgd_step(param, grad, lr, momentum=momentum, velocity=velocity)


def conjugate_gradient(A: Any, b: Any, max_iter: int | None = None,
                       tol: float = 1e-10) -> np.ndarray:
    """CG for A x = b (A symmetric positive definite) from x = 0.

    Before each iteration, stop when ‖r‖ ≤ tol·‖b‖; at most `max_iter` (default n) iterations.
    """
    tA = to_torch(np.asarray(A, dtype=np.float64))
    tb = to_torch(np.asarray(b, dtype=np.float64))
    x = torch.zeros_like(tb)
    r = tb.clone()
    p = r.clone()
    rs = torch.dot(r, r)
    limit = tol * torch.linalg.vector_norm(tb)
    for _ in range(tb.shape[0] if max_iter is None else max_iter):
        if torch.sqrt(rs) <= limit:
            break
        Ap = tA @ p
        alpha = rs / torch.dot(p, Ap)
        x = x + alpha * p
        r = r - alpha * Ap
        rs_new = torch.dot(r, r)
        p = r + (rs_new / rs) * p
        rs = rs_new
    return to_numpy(x)


def solve(A: Any, b: Any) -> np.ndarray:
    """torch.linalg.solve (for authoring: what CG converges to)."""
    return to_numpy(torch.linalg.solve(to_torch(np.asarray(A, dtype=np.float64)),
                                       to_torch(np.asarray(b, dtype=np.float64))))
