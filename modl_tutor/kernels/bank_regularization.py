"""Reference kernels in torch for the regularisation exercises: layer norm, AdamW, penalties."""

from __future__ import annotations

from typing import Any

import numpy as np
from modl_tutor.kernels._lazy import F, torch

from modl_tutor.kernels._convert import to_numpy, to_torch


def layer_norm(x: Any, gamma: Any, beta: Any, eps: float = 1e-5) -> np.ndarray:
    """`F.layer_norm` over the last axis of x (..., D) with weight gamma (D,) and bias beta (D,)."""
    tx = to_torch(x)
    return to_numpy(F.layer_norm(tx, (tx.shape[-1],), to_torch(gamma), to_torch(beta), eps))


def layer_norm_backward(x: Any, gamma: Any, dout: Any, eps: float = 1e-5) -> dict[str, np.ndarray]:
    """Autograd of `F.layer_norm` over the last axis of x (N, D): dx, dgamma, dbeta of `dout`."""
    tx = to_torch(x).requires_grad_(True)
    tgamma = to_torch(gamma).requires_grad_(True)
    tbeta = torch.zeros_like(tgamma, requires_grad=True)
    F.layer_norm(tx, (tx.shape[-1],), tgamma, tbeta, eps).backward(to_torch(dout))
    return {"dx": to_numpy(tx.grad), "dgamma": to_numpy(tgamma.grad),
            "dbeta": to_numpy(tbeta.grad)}


def _adam(param: Any, grad: Any, m: Any, v: Any, t: int, lr: float, beta1: float, beta2: float,
          eps: float, weight_decay: float,
          decoupled: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Step `t` of torch.optim.AdamW (decoupled) or of Adam with an L2 term (coupled)."""
    def tensor(a: Any) -> torch.Tensor:
        return to_torch(np.asarray(a, dtype=np.float64))

    p, g, exp_avg, exp_avg_sq = tensor(param), tensor(grad), tensor(m), tensor(v)
    try:  # the functional step the optimizer classes run (no torch._dynamo import cost)
        from torch.optim.adam import adam

        with torch.no_grad():
            adam([p], [g], [exp_avg], [exp_avg_sq], [], [torch.tensor(float(t - 1))],
                 foreach=False, decoupled_weight_decay=decoupled, amsgrad=False, beta1=beta1,
                 beta2=beta2, lr=lr, weight_decay=weight_decay, eps=eps, maximize=False)
        return to_numpy(p), to_numpy(exp_avg), to_numpy(exp_avg_sq)
    except TypeError:  # an older or newer functional signature: use the optimizer class
        cls = torch.optim.AdamW if decoupled else torch.optim.Adam
        q = torch.nn.Parameter(tensor(param))
        opt = cls([q], lr=lr, betas=(beta1, beta2), eps=eps, weight_decay=weight_decay)
        opt.state[q]["step"] = torch.tensor(float(t - 1))
        opt.state[q]["exp_avg"] = tensor(m)
        opt.state[q]["exp_avg_sq"] = tensor(v)
        q.grad = g
        opt.step()
        return (to_numpy(q), to_numpy(opt.state[q]["exp_avg"]),
                to_numpy(opt.state[q]["exp_avg_sq"]))


def adamw_step(param: Any, grad: Any, m: Any, v: Any, t: int, lr: float = 1e-3,
               beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8,
               weight_decay: float = 1e-2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Step number `t` (1-based) of `torch.optim.AdamW`: (param_new, m_new, v_new)."""
    return _adam(param, grad, m, v, t, lr, beta1, beta2, eps, weight_decay, decoupled=True)


def adam_l2_step(param: Any, grad: Any, m: Any, v: Any, t: int, lr: float = 1e-3,
                 beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8,
                 weight_decay: float = 1e-2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`torch.optim.Adam(weight_decay=...)`: the L2 term λ·θ added to the gradient (coupled)."""
    return _adam(param, grad, m, v, t, lr, beta1, beta2, eps, weight_decay, decoupled=False)


def elastic_penalty(w: Any, l1: float, l2: float) -> tuple[float, np.ndarray]:
    """(l1·Σ|w| + (l2/2)·Σw², its gradient by autograd; the subgradient at 0 is 0 as in torch)."""
    tw = to_torch(np.asarray(w, dtype=np.float64)).requires_grad_(True)
    penalty = l1 * tw.abs().sum() + 0.5 * l2 * (tw * tw).sum()
    penalty.backward()
    return float(penalty.detach()), to_numpy(tw.grad)
