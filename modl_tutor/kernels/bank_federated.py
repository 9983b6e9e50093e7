"""Reference kernels in torch for the federated and data-parallel exercises."""

from __future__ import annotations

from typing import Any

import numpy as np
from modl_tutor.kernels._lazy import torch

from modl_tutor.kernels._convert import to_numpy, to_torch


def fedavg_round(global_w: Any, client_w: Any, num_samples: Any,
                 server_lr: float = 1.0) -> np.ndarray:
    """w + server_lr · Σ_k (n_k / Σ n) (w_k − w): one FedAvg round, in global_w's dtype.

    The weights n_k/n are formed in float64 (exact for any realistic count) before the cast.
    """
    tw = to_torch(global_w)
    clients = to_torch(client_w)
    counts = torch.as_tensor(np.asarray(num_samples), dtype=torch.float64)
    share = (counts / counts.sum()).to(tw.dtype).reshape((-1,) + (1,) * tw.ndim)
    delta = (share * (clients - tw)).sum(dim=0)
    return to_numpy(tw + torch.tensor(server_lr, dtype=tw.dtype) * delta)


def data_parallel_gradient(X_shards: Any, y_shards: Any, w: Any) -> np.ndarray:
    """The gradient of the mean squared error (x·w − y)² over every example of every shard.

    What one worker holding the whole global batch would compute (autograd on the concatenation).
    """
    X = torch.cat([to_torch(np.asarray(s)).reshape(-1, np.shape(w)[0]) for s in X_shards])
    y = torch.cat([to_torch(np.asarray(s)).reshape(-1) for s in y_shards])
    tw = to_torch(w).requires_grad_(True)
    ((X @ tw - y) ** 2).mean().backward()
    return to_numpy(tw.grad)


def local_mean_gradients(X_shards: Any, y_shards: Any, w: Any) -> list[np.ndarray]:
    """Each worker's own mean-squared-error gradient (for tests and mistake models)."""
    return [data_parallel_gradient([X], [y], w) for X, y in zip(X_shards, y_shards)
            if len(np.asarray(y)) > 0]


def quantize_symmetric_int8(delta: Any) -> tuple[np.ndarray, float]:
    """(q, scale): q = clamp(round(delta/scale), −127, 127) as int8, scale = max|delta|/127.

    A delta of all zeros gets scale 1 (and codes 0). Rounding is torch.round: ties to even.
    """
    tensor = to_torch(np.asarray(delta, dtype=np.float64))
    top = float(tensor.abs().max()) if tensor.numel() else 0.0
    scale = top / 127.0 if top > 0 else 1.0
    q = torch.clamp(torch.round(tensor / scale), -127, 127).to(torch.int8)
    return q.numpy().copy(), scale


def quantized_fedavg(global_w: Any, client_w: Any, num_samples: Any) -> np.ndarray:
    """FedAvg of int8-quantised client changes: w + Σ_k p_k · q_k · scale_k (float64)."""
    tw = to_torch(np.asarray(global_w, dtype=np.float64))
    counts = torch.as_tensor(np.asarray(num_samples), dtype=torch.float64)
    shares = counts / counts.sum()
    total = torch.zeros_like(tw)
    for share, w_k in zip(shares, np.asarray(client_w, dtype=np.float64)):
        q, scale = quantize_symmetric_int8(w_k - np.asarray(global_w, dtype=np.float64))
        total = total + share * torch.from_numpy(q).to(torch.float64) * scale
    return to_numpy(tw + total)


def dp_sgd_gradient(grads: Any, clip_norm: float, noise_multiplier: float,
                    noise: Any) -> np.ndarray:
    """DP-SGD's private gradient: (Σ_i clip(g_i) + noise_multiplier·C·noise) / B.

    clip(g) = g·min(1, C/‖g‖₂) per example (a zero row stays zero); `noise` is the standard
    normal draw, given so that the result is deterministic.
    """
    g = to_torch(np.asarray(grads, dtype=np.float64))
    norms = torch.linalg.vector_norm(g, dim=1, keepdim=True)
    factor = torch.clamp(clip_norm / norms, max=1.0)  # C/0 = inf -> 1
    total = (g * factor).sum(dim=0) + noise_multiplier * clip_norm * to_torch(noise)
    return to_numpy(total / g.shape[0])
