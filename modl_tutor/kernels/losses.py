"""Reference loss kernels in torch: softmax, cross-entropy, BCE with logits, MSE, Huber, KL."""

from __future__ import annotations

from typing import Any

import numpy as np
from modl_tutor.kernels._lazy import F, torch

from modl_tutor.kernels._convert import to_numpy, to_torch


def softmax(z: Any, axis: int = -1) -> np.ndarray:
    """torch.softmax along `axis`, same dtype as the input."""
    return to_numpy(torch.softmax(to_torch(z), dim=axis))


def log_softmax(z: Any, axis: int = -1) -> np.ndarray:
    """torch.log_softmax along `axis`."""
    return to_numpy(torch.log_softmax(to_torch(z), dim=axis))


def logsumexp(z: Any, axis: int = -1) -> np.ndarray:
    """torch.logsumexp along `axis`."""
    return to_numpy(torch.logsumexp(to_torch(z), dim=axis))


def cross_entropy(logits: Any, targets: Any) -> float:
    """Mean negative log-likelihood of integer targets under softmax(logits)."""
    return float(F.cross_entropy(to_torch(logits), to_torch(targets, torch.long)))


def cross_entropy_probs(probs: Any, onehot: Any) -> float:
    """Mean of -sum(y * log p) over the rows (probabilities in, not logits)."""
    p, y = to_torch(probs), to_torch(onehot)
    return float(-(y * torch.log(p)).sum(dim=-1).mean())


def bce_with_logits(logits: Any, targets: Any) -> float:
    """Mean binary cross-entropy from raw scores."""
    return float(F.binary_cross_entropy_with_logits(to_torch(logits), to_torch(targets)))


def bce(probs: Any, targets: Any) -> float:
    """Mean binary cross-entropy from probabilities."""
    return float(F.binary_cross_entropy(to_torch(probs), to_torch(targets)))


def mse(pred: Any, target: Any) -> float:
    """Mean squared error."""
    return float(F.mse_loss(to_torch(pred), to_torch(target)))


def huber(pred: Any, target: Any, delta: float = 1.0) -> float:
    """Mean Huber loss with threshold `delta`."""
    return float(F.huber_loss(to_torch(pred), to_torch(target), delta=delta))


def kl_divergence(p: Any, q: Any) -> float:
    """KL(p || q) = sum p log(p/q) for probability vectors (rows summed, then mean)."""
    tp, tq = to_torch(p), to_torch(q)
    return float(F.kl_div(torch.log(tq), tp, reduction="sum") / (tp.shape[0] if tp.ndim > 1 else 1))


def grad_of(loss: str, *args: Any, wrt: int = 0, **kwargs: Any) -> np.ndarray:
    """Gradient of one of this module's losses with respect to argument `wrt`, by autograd."""
    tensors = [to_torch(a) if isinstance(a, np.ndarray) and a.dtype.kind == "f" else a
               for a in args]
    tensors[wrt] = tensors[wrt].clone().requires_grad_(True)
    fn = {"mse": F.mse_loss, "bce_with_logits": F.binary_cross_entropy_with_logits,
          "bce": F.binary_cross_entropy, "huber": F.huber_loss}.get(loss)
    if loss == "cross_entropy":
        value = F.cross_entropy(tensors[0], torch.from_numpy(np.asarray(args[1])).long())
    elif fn is not None:
        value = fn(*tensors, **kwargs)
    else:
        raise KeyError(loss)
    value.backward()
    return to_numpy(tensors[wrt].grad)
