"""Reference gradients by torch autograd: logistic regression, linear layers, two-layer MLP."""

from __future__ import annotations

from typing import Any

import numpy as np
from modl_tutor.kernels._lazy import F, torch

from modl_tutor.kernels._convert import to_numpy, to_torch


def logistic_regression_step(w: Any, b: float, X: Any, Y: Any,
                             lr: float) -> tuple[np.ndarray, float, float]:
    """One batch gradient-descent step on mean BCE; returns (w_new, b_new, cost before)."""
    tw = to_torch(w).requires_grad_(True)
    tb = torch.tensor(float(b), dtype=torch.float64, requires_grad=True)
    tX, tY = to_torch(X), to_torch(Y)
    logits = tw.T @ tX + tb
    cost = F.binary_cross_entropy_with_logits(logits, tY)
    cost.backward()
    with torch.no_grad():
        w_new = tw - lr * tw.grad
        b_new = tb - lr * tb.grad
    return to_numpy(w_new), float(b_new), float(cost.detach())


def mlp2_gradients(X: Any, y: Any, W1: Any, b1: Any, W2: Any, b2: Any) -> dict[str, np.ndarray]:
    """Gradients of mean cross-entropy(relu(X@W1+b1)@W2+b2, y) for each parameter."""
    params = {k: to_torch(v).requires_grad_(True) for k, v in
              {"W1": W1, "b1": b1, "W2": W2, "b2": b2}.items()}
    h = torch.relu(to_torch(X) @ params["W1"] + params["b1"])
    logits = h @ params["W2"] + params["b2"]
    loss = F.cross_entropy(logits, torch.from_numpy(np.asarray(y)).long())
    loss.backward()
    return {k: to_numpy(v.grad) for k, v in params.items()}


def linear_backward(X: Any, W: Any, b: Any, dY: Any) -> dict[str, np.ndarray]:
    """For Y = X @ W + b and upstream gradient dY: gradients dX, dW, db."""
    tX, tW, tb = (to_torch(a).requires_grad_(True) for a in (X, W, b))
    Y = tX @ tW + tb
    (Y * to_torch(dY)).sum().backward()  # = Y.backward(dY), without torch's lazy imports
    return {"dX": to_numpy(tX.grad), "dW": to_numpy(tW.grad), "db": to_numpy(tb.grad)}


def activation_grad(name: str, x: Any, upstream: Any | None = None) -> np.ndarray:
    """d activation(x)/dx (times `upstream` when given) by autograd."""
    tx = to_torch(x).requires_grad_(True)
    fns = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu,
           "gelu": F.gelu, "softplus": F.softplus, "elu": F.elu, "silu": F.silu,
           "leaky_relu": lambda t: F.leaky_relu(t, 0.01)}
    out = fns[name](tx)
    (out * to_torch(upstream) if upstream is not None else out).sum().backward()
    return to_numpy(tx.grad)


def autograd_gradient(fn: Any, x: Any) -> np.ndarray:
    """Gradient of a scalar torch function `fn(tensor)` at `x`."""
    tx = to_torch(x).requires_grad_(True)
    fn(tx).backward()
    return to_numpy(tx.grad)


def autograd_gradient_wrt(fn: Any, *arrays: Any, wrt: int = 0) -> np.ndarray:
    """d fn(*tensors) / d arrays[wrt] by autograd, for a scalar torch function of several
    array arguments (the others are constants)."""
    tensors = [to_torch(np.asarray(a)) for a in arrays]
    tensors[wrt] = tensors[wrt].clone().requires_grad_(True)
    value = fn(*tensors)
    if not isinstance(value, torch.Tensor) or value.numel() != 1:
        raise TypeError("autograd_gradient_wrt: fn must return a scalar tensor")
    value.sum().backward()
    assert tensors[wrt].grad is not None
    return to_numpy(tensors[wrt].grad)
