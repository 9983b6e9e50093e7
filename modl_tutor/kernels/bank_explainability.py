"""Reference kernels in torch for the explainability exercises: saliency, Grad-CAM, RISE."""

from __future__ import annotations

from typing import Any

import numpy as np
from modl_tutor.kernels._lazy import F, torch

from modl_tutor.kernels._convert import to_numpy, to_torch


def _mlp_logits(X: torch.Tensor, W1: Any, b1: Any, W2: Any, b2: Any) -> torch.Tensor:
    h = torch.relu(X @ to_torch(W1) + to_torch(b1))
    return h @ to_torch(W2) + to_torch(b2)


def input_gradient(X: Any, W1: Any, b1: Any, W2: Any, b2: Any, target: Any,
                   method: str = "gradient") -> np.ndarray:
    """Saliency of a 2-layer ReLU MLP: d logits[n, target[n]] / d X[n] by autograd (N, D).

    `method="gradient_x_input"` multiplies it elementwise by X (gradient × input).
    """
    tx = to_torch(X).requires_grad_(True)
    logits = _mlp_logits(tx, W1, b1, W2, b2)
    rows = torch.arange(logits.shape[0])
    logits[rows, to_torch(target, torch.long)].sum().backward()
    grad = tx.grad
    if method == "gradient_x_input":
        grad = grad * tx.detach()
    elif method != "gradient":
        raise ValueError(f"unknown method {method!r}")
    return to_numpy(grad)


def tiny_cnn_activations(x: Any, Wc: Any, bc: Any) -> torch.Tensor:
    """The last conv layer's maps A = relu(conv2d(x, Wc, stride 2) + bc), shape (K, H/2, W/2)."""
    out = F.conv2d(to_torch(x)[None], to_torch(Wc), to_torch(bc), stride=2)
    return torch.relu(out[0])


def grad_cam(x: Any, Wc: Any, bc: Any, W1: Any, b1: Any, W2: Any, b2: Any,
             target: int) -> np.ndarray:
    """Grad-CAM of class `target` for the tiny CNN, nearest-upsampled to the input's (H, W).

    A = relu(conv 2×2 stride 2 of x); h = relu(flatten(A) @ W1 + b1); y = h @ W2 + b2;
    α_k = mean over (i, j) of dy_target/dA_kij; cam = relu(Σ_k α_k A_k), upsampled.
    """
    A, dA = _maps_and_gradients(x, Wc, bc, W1, b1, W2, b2, target)
    alpha = dA.mean(dim=(1, 2))
    cam = torch.relu((alpha[:, None, None] * A).sum(dim=0))
    return to_numpy(upsample_nearest(cam, tuple(np.shape(x)[1:])))


def _maps_and_gradients(x: Any, Wc: Any, bc: Any, W1: Any, b1: Any, W2: Any, b2: Any,
                        target: int) -> tuple[torch.Tensor, torch.Tensor]:
    A = tiny_cnn_activations(x, Wc, bc).detach().requires_grad_(True)
    h = torch.relu(A.reshape(-1) @ to_torch(W1) + to_torch(b1))
    y = h @ to_torch(W2) + to_torch(b2)
    y[int(target)].backward()
    return A.detach(), A.grad


def maps_and_gradients(x: Any, Wc: Any, bc: Any, W1: Any, b1: Any, W2: Any, b2: Any,
                       target: int) -> tuple[np.ndarray, np.ndarray]:
    """(A, dy_target/dA) of the tiny CNN as NumPy arrays (for mistake models and tests)."""
    A, dA = _maps_and_gradients(x, Wc, bc, W1, b1, W2, b2, target)
    return to_numpy(A), to_numpy(dA)


def upsample_nearest(image: Any, size: tuple[int, int]) -> torch.Tensor:
    """Nearest-neighbour upsampling of a 2-D map to `size` (F.interpolate, mode="nearest")."""
    tensor = image if isinstance(image, torch.Tensor) else to_torch(image)
    return F.interpolate(tensor[None, None], size=size, mode="nearest")[0, 0]


def rise_scores(x: Any, masks: Any, W: Any, b: Any, target: int) -> np.ndarray:
    """Softmax probability of `target` for each masked image x ⊙ M_i under a linear model."""
    tx, tm = to_torch(x), to_torch(masks)
    flat = (tm * tx).reshape(tm.shape[0], -1)
    return to_numpy(torch.softmax(flat @ to_torch(W) + to_torch(b), dim=-1)[:, int(target)])


def rise_saliency(x: Any, masks: Any, W: Any, b: Any, target: int, p: float) -> np.ndarray:
    """RISE: S = Σ_i s_i M_i / (N · p), with s_i the model's probability of `target` on x ⊙ M_i."""
    scores = torch.from_numpy(rise_scores(x, masks, W, b, target))
    tm = to_torch(masks)
    return to_numpy(torch.einsum("n,nhw->hw", scores, tm) / (tm.shape[0] * p))


def integrated_gradients(x: Any, baseline: Any, W1: Any, b1: Any, W2: Any, b2: Any,
                         target: int, steps: int, rule: str = "midpoint") -> np.ndarray:
    """Integrated gradients of the MLP's score `target`, Riemann sum over `steps` points.

    The points are baseline + α_j (x − baseline) with α_j = (j + ½)/steps ("midpoint"),
    j/steps ("left") or (j + 1)/steps ("right"); autograd gives the gradient at each.
    """
    tx, tb = to_torch(x), to_torch(baseline)
    offset = {"midpoint": 0.5, "left": 0.0, "right": 1.0}[rule]
    alphas = (torch.arange(int(steps), dtype=tx.dtype) + offset) / int(steps)
    points = (tb + alphas[:, None] * (tx - tb)).requires_grad_(True)
    _mlp_logits(points, W1, b1, W2, b2)[:, int(target)].sum().backward()
    return to_numpy(points.grad.mean(dim=0) * (tx - tb))


def mlp_score(x: Any, W1: Any, b1: Any, W2: Any, b2: Any, target: int) -> float:
    """The score of class `target` for one input x (D,): relu(x W1 + b1) W2 + b2."""
    return float(_mlp_logits(to_torch(x)[None], W1, b1, W2, b2)[0, int(target)])
