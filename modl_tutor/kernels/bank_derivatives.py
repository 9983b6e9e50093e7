"""Reference kernels of the derivatives topic: activation grads, Jacobians, scalar graphs."""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np
from modl_tutor.kernels._lazy import F, torch

from modl_tutor.kernels._convert import to_numpy, to_torch

ACTIVATIONS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "sigmoid": lambda t: torch.sigmoid(t),  # lambdas: torch is imported on first use only
    "tanh": lambda t: torch.tanh(t),
    "relu": lambda t: torch.relu(t),
    "gelu_tanh": lambda t: F.gelu(t, approximate="tanh"),
    "softplus": lambda t: F.softplus(t),
    "elu": lambda t: F.elu(t),
}


def activation_grad(name: str, x: Any) -> np.ndarray:
    """Elementwise d activation(x)/dx by autograd, in the dtype of `x` (torch's conventions)."""
    tx = to_torch(x).requires_grad_(True)
    out = ACTIVATIONS[name](tx)
    out.backward(torch.ones_like(out))
    assert tx.grad is not None
    return to_numpy(tx.grad)


def sigmoid_grad(x: Any) -> np.ndarray:
    """σ'(x) by autograd."""
    return activation_grad("sigmoid", x)


def tanh_grad(x: Any) -> np.ndarray:
    """tanh'(x) by autograd."""
    return activation_grad("tanh", x)


def relu_grad(x: Any) -> np.ndarray:
    """relu'(x) by autograd (0 at x = 0, as torch does)."""
    return activation_grad("relu", x)


def gelu_tanh_grad(x: Any) -> np.ndarray:
    """Derivative of torch's tanh-approximated GELU, by autograd."""
    return activation_grad("gelu_tanh", x)


def autograd_gradient(fn: Callable[[torch.Tensor], torch.Tensor], x: Any) -> np.ndarray:
    """Gradient of a scalar torch function `fn(tensor)` at `x` (float64), shaped like `x`."""
    tx = to_torch(np.asarray(x, dtype=np.float64)).requires_grad_(True)
    fn(tx).backward()
    assert tx.grad is not None
    return to_numpy(tx.grad)


def softmax_jacobian(z: Any) -> np.ndarray:
    """∂softmax(z)_i/∂z_j by autograd: (n,) → (n, n), or (N, n) → (N, n, n) row by row."""
    tz = to_torch(z)

    def one(row: torch.Tensor) -> torch.Tensor:
        jac = torch.autograd.functional.jacobian(lambda t: torch.softmax(t, dim=0), row)
        return jac  # type: ignore[no-any-return]

    if tz.ndim == 1:
        return to_numpy(one(tz))
    return to_numpy(torch.stack([one(row) for row in tz]))


def relative_error(a: Any, b: Any) -> float:
    """max over entries of |a − b| / max(|a|, |b|), entries where both are 0 counting 0."""
    ta, tb = to_torch(np.asarray(a, dtype=np.float64)), to_torch(np.asarray(b, dtype=np.float64))
    denom = torch.maximum(ta.abs(), tb.abs())
    ratio = (ta - tb).abs() / torch.where(denom == 0, torch.ones_like(denom), denom)
    ratio = torch.where(denom == 0, torch.zeros_like(ratio), ratio)
    if ratio.numel() == 0:
        return 0.0
    return float(ratio.max())


# -- scalar computation graphs (the reference for a hand-written reverse-mode `Value`) ---------
Op = tuple[str, ...]
"""One step of a graph: (kind, output, operand, operand?) with kinds add, mul, tanh, exp,
addc, mulc, raddc, rmulc (the `c` forms take a Python constant as the last operand)."""


def run_graph_torch(inputs: dict[str, float], ops: Sequence[Sequence[Any]],
                    output: str) -> dict[str, Any]:
    """Evaluate a graph on float64 tensors, backpropagate from `output`; data and input grads."""
    env: dict[str, torch.Tensor] = {
        name: torch.tensor(float(v), dtype=torch.float64, requires_grad=True)
        for name, v in inputs.items()}
    leaves = dict(env)
    for op in ops:
        kind, out = op[0], op[1]
        if kind == "add":
            env[out] = env[op[2]] + env[op[3]]
        elif kind == "mul":
            env[out] = env[op[2]] * env[op[3]]
        elif kind == "tanh":
            env[out] = torch.tanh(env[op[2]])
        elif kind == "exp":
            env[out] = torch.exp(env[op[2]])
        elif kind == "addc":
            env[out] = env[op[2]] + float(op[3])
        elif kind == "mulc":
            env[out] = env[op[2]] * float(op[3])
        elif kind == "raddc":
            env[out] = float(op[3]) + env[op[2]]
        elif kind == "rmulc":
            env[out] = float(op[3]) * env[op[2]]
        else:
            raise ValueError(f"unknown graph op {kind!r}")
    result = env[output]
    result.backward()
    grads = {name: float(t.grad) if t.grad is not None else 0.0 for name, t in leaves.items()}
    return {"data": float(result.detach()), "grads": grads}
