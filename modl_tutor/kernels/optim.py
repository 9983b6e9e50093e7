"""Reference optimiser steps by torch.optim: SGD, momentum, Nesterov, RMSprop, Adam."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from modl_tutor.kernels._convert import to_numpy, to_torch


def _param(array: Any) -> torch.nn.Parameter:
    return torch.nn.Parameter(to_torch(np.asarray(array, dtype=np.float64)))


def sgd_step(param: Any, grad: Any, lr: float, momentum: float = 0.0, nesterov: bool = False,
             velocity: Any | None = None) -> tuple[np.ndarray, np.ndarray]:
    """One torch.optim.SGD step; returns (param_new, momentum buffer)."""
    p = _param(param)
    opt = torch.optim.SGD([p], lr=lr, momentum=momentum, nesterov=nesterov)
    if velocity is not None and momentum:
        opt.state[p]["momentum_buffer"] = to_torch(np.asarray(velocity, dtype=np.float64))
    p.grad = to_torch(np.asarray(grad, dtype=np.float64))
    opt.step()
    buf = opt.state[p].get("momentum_buffer")
    return to_numpy(p), (to_numpy(buf) if buf is not None else np.zeros_like(np.asarray(param)))


def rmsprop_step(param: Any, grad: Any, sq: Any, lr: float = 1e-2, alpha: float = 0.99,
                 eps: float = 1e-8) -> tuple[np.ndarray, np.ndarray]:
    """One torch.optim.RMSprop step from the running square average `sq`."""
    p = _param(param)
    opt = torch.optim.RMSprop([p], lr=lr, alpha=alpha, eps=eps)
    p.grad = to_torch(np.asarray(grad, dtype=np.float64))
    opt.step()  # initialises state
    with torch.no_grad():
        p.copy_(to_torch(np.asarray(param, dtype=np.float64)))
    opt.state[p]["square_avg"] = to_torch(np.asarray(sq, dtype=np.float64))
    opt.state[p]["step"] = torch.tensor(0.0)
    opt.step()
    return to_numpy(p), to_numpy(opt.state[p]["square_avg"])


def adam_step(param: Any, grad: Any, m: Any, v: Any, t: int, lr: float = 1e-3,
              beta1: float = 0.9, beta2: float = 0.999,
              eps: float = 1e-8) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Step number `t` (1-based) of torch.optim.Adam from moments m, v (no weight decay)."""
    p = _param(param)
    opt = torch.optim.Adam([p], lr=lr, betas=(beta1, beta2), eps=eps)
    opt.state[p]["step"] = torch.tensor(float(t - 1))
    opt.state[p]["exp_avg"] = to_torch(np.asarray(m, dtype=np.float64))
    opt.state[p]["exp_avg_sq"] = to_torch(np.asarray(v, dtype=np.float64))
    p.grad = to_torch(np.asarray(grad, dtype=np.float64))
    opt.step()
    return to_numpy(p), to_numpy(opt.state[p]["exp_avg"]), to_numpy(opt.state[p]["exp_avg_sq"])
