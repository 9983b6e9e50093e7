"""Reference optimiser steps by torch.optim: SGD, momentum, Nesterov, RMSprop, Adam.

Each step calls torch.optim's functional single-tensor implementation (`torch.optim.adam.adam`
and friends: the code the optimizer classes run), which avoids the second-long first-use cost
of constructing an optimizer object (it imports torch._dynamo). If a torch release changes a
functional signature, the step falls back to the optimizer class.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from modl_tutor.kernels._lazy import torch

from modl_tutor.kernels._convert import to_numpy, to_torch


def _functional(name: str) -> Any:
    """torch.optim's functional step `name` ("sgd", "rmsprop", "adam")."""
    import importlib

    return getattr(importlib.import_module(f"torch.optim.{name}"), name)


def _tensor(array: Any) -> torch.Tensor:
    return to_torch(np.asarray(array, dtype=np.float64))


def _param(array: Any) -> torch.nn.Parameter:
    return torch.nn.Parameter(_tensor(array))


def sgd_step(param: Any, grad: Any, lr: float, momentum: float = 0.0, nesterov: bool = False,
             velocity: Any | None = None) -> tuple[np.ndarray, np.ndarray]:
    """One torch.optim.SGD step; returns (param_new, momentum buffer)."""
    p, g = _tensor(param), _tensor(grad)
    buffers: list[torch.Tensor | None] = [_tensor(velocity) if velocity is not None and momentum
                                          else None]
    try:
        with torch.no_grad():
            _functional("sgd")([p], [g], buffers, foreach=False, weight_decay=0.0,
                               momentum=momentum, lr=lr, dampening=0.0, nesterov=nesterov,
                               maximize=False)
        buf = buffers[0] if momentum else None
    except TypeError:
        p, buf = _sgd_class(param, grad, lr, momentum, nesterov, velocity)
    return to_numpy(p), (to_numpy(buf) if buf is not None else np.zeros_like(np.asarray(param)))


def _sgd_class(param: Any, grad: Any, lr: float, momentum: float, nesterov: bool,
               velocity: Any | None) -> tuple[torch.Tensor, torch.Tensor | None]:
    p = _param(param)
    opt = torch.optim.SGD([p], lr=lr, momentum=momentum, nesterov=nesterov)
    if velocity is not None and momentum:
        opt.state[p]["momentum_buffer"] = _tensor(velocity)
    p.grad = _tensor(grad)
    opt.step()
    return p.detach(), opt.state[p].get("momentum_buffer")


def rmsprop_step(param: Any, grad: Any, sq: Any, lr: float = 1e-2, alpha: float = 0.99,
                 eps: float = 1e-8) -> tuple[np.ndarray, np.ndarray]:
    """One torch.optim.RMSprop step (not centred, no momentum) from the running average of
    squared gradients `sq`; returns (param_new, sq_new)."""
    p, g, square = _tensor(param), _tensor(grad), _tensor(sq)
    try:
        with torch.no_grad():
            _functional("rmsprop")([p], [g], [square], [], [], [torch.tensor(0.0)],
                                   foreach=False, lr=lr, alpha=alpha, eps=eps, weight_decay=0.0,
                                   momentum=0.0, centered=False)
    except TypeError:
        q = _param(param)
        opt = torch.optim.RMSprop([q], lr=lr, alpha=alpha, eps=eps)
        opt.state[q]["step"] = torch.tensor(0.0)
        opt.state[q]["square_avg"] = _tensor(sq)
        q.grad = g
        opt.step()
        p, square = q.detach(), opt.state[q]["square_avg"]
    return to_numpy(p), to_numpy(square)


def adam_step(param: Any, grad: Any, m: Any, v: Any, t: int, lr: float = 1e-3,
              beta1: float = 0.9, beta2: float = 0.999,
              eps: float = 1e-8) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Step number `t` (1-based) of torch.optim.Adam from moments m, v (no weight decay)."""
    p, g, exp_avg, exp_avg_sq = _tensor(param), _tensor(grad), _tensor(m), _tensor(v)
    try:
        with torch.no_grad():
            _functional("adam")([p], [g], [exp_avg], [exp_avg_sq], [],
                                [torch.tensor(float(t - 1))], foreach=False, amsgrad=False,
                                beta1=beta1, beta2=beta2, lr=lr, weight_decay=0.0, eps=eps,
                                maximize=False)
    except TypeError:
        q = _param(param)
        opt = torch.optim.Adam([q], lr=lr, betas=(beta1, beta2), eps=eps)
        opt.state[q]["step"] = torch.tensor(float(t - 1))
        opt.state[q]["exp_avg"] = _tensor(m)
        opt.state[q]["exp_avg_sq"] = _tensor(v)
        q.grad = g
        opt.step()
        p, exp_avg, exp_avg_sq = (q.detach(), opt.state[q]["exp_avg"],
                                  opt.state[q]["exp_avg_sq"])
    return to_numpy(p), to_numpy(exp_avg), to_numpy(exp_avg_sq)
